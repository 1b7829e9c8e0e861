using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary>How <see cref="ApiPipeline.SendAsync{T}"/> turns what the server answered into values and exceptions.</summary>
public sealed class ApiPipelineResponseTests
{
    private const string ApiKey = "sk-secret-key-0123456789";

    [Fact]
    public async Task A_success_returns_the_typed_value_with_status_headers_and_request_id()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Headers["x-request-id"] = "req_ok_1";
            context.Response.Headers["openai-processing-ms"] = "12";
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"extra":{"nested":[1,2]},"n":42,"id":"item_1"}""");
        });
        using var client = new TestClient(server, options => options.ApiKey = ApiKey);

        ApiResponse<Item> response = await client.GetItemAsync(new ApiRequest(HttpMethod.Post, "createItem").AppendPath("/items"));

        Assert.Equal(new Item("item_1", 42), response.Value);
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("req_ok_1", response.RequestId);
        Assert.Equal("12", response.Headers["OpenAI-Processing-Ms"]);
        Assert.Equal("application/json", response.Headers["content-type"]);
    }

    [Fact]
    public async Task Headers_are_read_after_the_response_was_disposed_joined_and_without_cookies()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Headers["x-request-id"] = "req_lazy";
            context.Response.Headers.Append("x-multi", "one");
            context.Response.Headers.Append("x-multi", "two");
            context.Response.Headers.SetCookie = "session=cookie-SECRET; Path=/";
            context.Response.Headers.ContentLanguage = "en";
            return Respond.Item()(context);
        });
        using var client = new TestClient(server);

        // The pipeline disposed the HTTP response before returning; the request id is read
        // without copying the headers, and the copy is made on first use.
        ApiResponse<Item> response = await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        Assert.Equal("req_lazy", response.RequestId);
        Assert.Equal("one, two", response.Headers["X-Multi"]);
        Assert.Equal("en", response.Headers["content-language"]);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        Assert.False(response.Headers.ContainsKey("Set-Cookie"));
        Assert.DoesNotContain(response.Headers, header => header.Value.Contains("cookie-SECRET", StringComparison.Ordinal));
        Assert.Equal(response.Headers.Count, response.Headers.Keys.Count());
        Assert.Equal("req_lazy", response.RequestId);
    }

    [Fact]
    public async Task Headers_read_from_many_threads_at_once_agree()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Headers["x-request-id"] = "req_threads";
            context.Response.Headers.Append("x-multi", "one");
            context.Response.Headers.Append("x-multi", "two");
            context.Response.Headers.CacheControl = "no-cache";
            return Respond.Item()(context);
        });
        using var client = new TestClient(server);

        for (int round = 0; round < 20; round++)
        {
            ApiResponse<Item> response = await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
            using var start = new ManualResetEventSlim();
            Task<string>[] readers = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            {
                start.Wait();
                return i % 2 == 0
                    ? response.RequestId + "|" + response.Headers["Cache-Control"] + "|" + response.Headers["x-multi"]
                    : response.Headers["x-request-id"] + "|" + string.Join("|", response.Headers.Where(h => h.Key is "Cache-Control" or "x-multi").OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Value));
            })).ToArray();
            start.Set();

            Assert.All(await Task.WhenAll(readers), seen => Assert.Equal("req_threads|no-cache|one, two", seen));
        }
    }

    [Fact]
    public async Task A_success_without_a_request_id_has_a_null_request_id()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);

        ApiResponse<Item> response = await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        Assert.Null(response.RequestId);
        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task A_bodyless_operation_returns_status_headers_and_request_id()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 204;
            context.Response.Headers["x-request-id"] = "req_204";
            return Task.CompletedTask;
        });
        using var client = new TestClient(server);

        ApiResponse response = await client.Pipeline.SendAsync(
            new ApiRequest(HttpMethod.Delete, "deleteItem").AppendPath("/items/").AppendPathParameter("item_id", "item_1"), null, default);

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        Assert.Equal("req_204", response.RequestId);
        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Equal("DELETE", seen.Method);
        Assert.Equal("/v1/items/item_1", seen.RawTarget);
    }

    [Fact]
    public async Task A_bodyless_operation_that_fails_throws_the_typed_exception()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(
            Respond.Json("""{"error":{"message":"No such item","type":"invalid_request_error","code":"not_found"}}""", 404, "req_404"));
        using var client = new TestClient(server);

        NotFoundException ex = await Assert.ThrowsAsync<NotFoundException>(() => client.Pipeline.SendAsync(
            new ApiRequest(HttpMethod.Delete, "deleteItem").AppendPath("/items/").AppendPathParameter("item_id", "item_1"), null, default));

        Assert.Equal("No such item", ex.Error!.Message);
        Assert.Equal("req_404", ex.RequestId);
        Assert.Contains("deleteItem (DELETE /items/item_1) failed with 404", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, typeof(BadRequestException))]
    [InlineData(401, typeof(AuthenticationException))]
    [InlineData(403, typeof(PermissionDeniedException))]
    [InlineData(404, typeof(NotFoundException))]
    [InlineData(409, typeof(ConflictException))]
    [InlineData(422, typeof(UnprocessableEntityException))]
    [InlineData(429, typeof(RateLimitException))]
    [InlineData(500, typeof(ServerErrorException))]
    [InlineData(503, typeof(ServerErrorException))]
    [InlineData(418, typeof(ApiException))]
    [InlineData(402, typeof(ApiException))]
    public async Task An_error_status_maps_to_its_typed_exception_with_everything_the_server_said(int status, Type expected)
    {
        const string body = """{"error":{"message":"Thing went wrong.","type":"invalid_request_error","param":"model","code":"model_not_found"}}""";
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Headers.SetCookie = "session=abc123; Path=/; HttpOnly";
            return Respond.Json(body, status, requestId: "req_err_" + status)(context);
        });
        using var client = new TestClient(server, options => options.ApiKey = ApiKey);

        ApiException ex = await Assert.ThrowsAnyAsync<ApiException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "retrieveModel").AppendPath("/models/").AppendPathParameter("model", "gpt-x")));

        Assert.IsType(expected, ex);
        Assert.Equal((HttpStatusCode)status, ex.Status);
        Assert.Equal("retrieveModel", ex.OperationId);
        Assert.Equal("GET", ex.Method);
        Assert.Equal("/models/gpt-x", ex.Path);
        Assert.Equal("req_err_" + status, ex.RequestId);
        Assert.NotNull(ex.Error);
        Assert.Equal("Thing went wrong.", ex.Error!.Message);
        Assert.Equal("invalid_request_error", ex.Error.Type);
        Assert.Equal("model", ex.Error.Param);
        Assert.Equal("model_not_found", ex.Error.Code);
        Assert.Equal(body, ex.RawBody);
        Assert.Null(ex.InnerException);

        Assert.Contains("retrieveModel", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GET /models/gpt-x", ex.Message, StringComparison.Ordinal);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("Thing went wrong.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("req_err_" + status, ex.Message, StringComparison.Ordinal);

        Assert.False(ex.Headers.ContainsKey("Set-Cookie"));
        Assert.Equal("req_err_" + status, ex.Headers["X-Request-Id"]);
        Assert.DoesNotContain("abc123", ex.ToString(), StringComparison.Ordinal);

        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, client.Options.ToString(), StringComparison.Ordinal);
        Assert.Contains("(set)", client.Options.ToString(), StringComparison.Ordinal);

        // The server did receive the key, so it was there to leak.
        Assert.Equal("Bearer " + ApiKey, Assert.Single(server.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData("""{"error":{"message":"Quota exceeded","code":1234}}""", "1234", null)]
    [InlineData("""{"error":{"message":"Quota exceeded","code":12.5,"type":null}}""", "12.5", null)]
    [InlineData("""{"error":{"message":"Quota exceeded","code":true,"type":"quota"}}""", "true", "quota")]
    public async Task A_numeric_or_boolean_error_code_is_kept_as_text(string body, string code, string? type)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Json(body, 429));
        using var client = new TestClient(server);

        RateLimitException ex = await Assert.ThrowsAsync<RateLimitException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        Assert.Equal(code, ex.Error!.Code);
        Assert.Equal(type, ex.Error.Type);
        Assert.Equal("Quota exceeded", ex.Error.Message);
        Assert.Null(ex.Error.Param);
        Assert.Null(ex.RequestId);
    }

    [Theory]
    [InlineData("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")]
    [InlineData("""{"message":"not the error envelope"}""", "application/json")]
    [InlineData("""{"error":"a string, not an object"}""", "application/json")]
    [InlineData("""["error"]""", "application/json")]
    [InlineData("""{"error":{"message":"trunc""", "application/json")]
    public async Task An_error_body_that_is_not_an_error_envelope_keeps_the_raw_text(string body, string contentType)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 502;
            context.Response.ContentType = contentType;
            return context.Response.WriteAsync(body);
        });
        using var client = new TestClient(server);

        ServerErrorException ex = await Assert.ThrowsAsync<ServerErrorException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        Assert.Null(ex.Error);
        Assert.Equal(body, ex.RawBody);
        Assert.Equal(HttpStatusCode.BadGateway, ex.Status);
        Assert.Contains("getItem (GET /items/1) failed with 502", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_error_body_gives_the_typed_exception_with_no_error()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        using var client = new TestClient(server);

        NotFoundException ex = await Assert.ThrowsAsync<NotFoundException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        Assert.Null(ex.Error);
        Assert.Equal(string.Empty, ex.RawBody);
    }

    [Fact]
    public async Task A_huge_error_body_is_capped_at_the_raw_body_limit()
    {
        const int size = 1024 * 1024;
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(new string('x', size));
        });
        using var client = new TestClient(server);

        ServerErrorException ex = await Assert.ThrowsAsync<ServerErrorException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        Assert.Equal(ApiFailure.MaxRawBodyLength, ex.RawBody!.Length);
        Assert.Equal(new string('x', ApiFailure.MaxRawBodyLength), ex.RawBody);
        Assert.Null(ex.Error);
        Assert.True(ex.Message.Length < 1000, "The message must not carry the body.");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    [InlineData(205)]
    public async Task A_success_without_a_body_is_no_content_not_an_error_whatever_its_status(int status)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        });
        using var client = new TestClient(server);

        ApiResponse<Item> response = await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        Item value = await client.Pipeline.SendForValueAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), Readers.ReadItem, null, default);

        Assert.Equal(status, (int)response.Status);
        Assert.False(response.HasValue);
        Assert.Null(response.Value);
        Assert.Null(value);
    }

    [Fact]
    public async Task An_empty_chunked_success_body_is_no_content_too()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            await context.Response.StartAsync();
            await context.Response.Body.FlushAsync();
        });
        using var client = new TestClient(server);

        ApiResponse<Item> response = await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        Assert.False(response.HasValue);
    }

    [Theory]
    [InlineData("<html><body>It works!</body></html>")]
    [InlineData("   \r\n ")]
    [InlineData("""{"id":"item_1","n":4""")]
    [InlineData("""{"id":"item_1",""")]
    [InlineData("""{"n":4}""")]
    [InlineData("""{"id":42}""")]
    [InlineData("""{"id":"item_1","n":"four"}""")]
    [InlineData("""{"id":"item_1","n":99999999999999999999}""")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"id":"item_1"}garbage""")]
    [InlineData("""{"id":"item_1"} {"id":"item_2"}""")]
    public async Task A_success_body_that_is_not_the_declared_json_gives_an_invalid_response_exception(string body)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Headers["x-request-id"] = "req_bad_body";
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(body);
        });
        using var client = new TestClient(server);

        InvalidResponseException ex = await Assert.ThrowsAsync<InvalidResponseException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        Assert.Equal(HttpStatusCode.OK, ex.Status);
        Assert.Equal("getItem", ex.OperationId);
        Assert.Equal("req_bad_body", ex.RequestId);
        Assert.Equal(body, ex.RawBody);
        Assert.Null(ex.Error);
        Assert.Contains("getItem (GET /items/1) failed with 200", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Item), ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
        Assert.True(
            ex.InnerException is JsonException or InvalidOperationException or FormatException,
            $"Unexpected inner exception {ex.InnerException!.GetType()}");
    }

    [Theory]
    [InlineData("<html>not json</html>")]
    [InlineData(" \n ")]
    [InlineData("""{"id":"item_1","n":4""")]
    public async Task A_non_json_empty_or_truncated_success_body_has_a_json_exception_inside(string body)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Json(body));
        using var client = new TestClient(server);

        InvalidResponseException ex = await Assert.ThrowsAsync<InvalidResponseException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task A_body_cut_short_by_the_server_gives_a_connection_exception_with_the_transport_error_inside()
    {
        // The server promises 1000 bytes, sends part of a JSON object and drops the connection.
        // HttpClient reports an HttpRequestException ("Error while copying content to a stream.")
        // around an HttpIOException (ResponseEnded); the pipeline wraps it, keeping it as the cause.
        var headersArrived = new SemaphoreSlim(0);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.DropMidBody(headersArrived));
        using var client = new TestClient(server, headersArrived: headersArrived);

        ApiConnectionException ex = await Assert.ThrowsAsync<ApiConnectionException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        HttpRequestException transport = Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.IsAssignableFrom<IOException>(transport.InnerException);
        Assert.Equal(1, ex.Attempts);
        Assert.StartsWith("getItem (GET /items/1) failed: the response (200 OK) broke off before its whole body arrived (", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_error_body_cut_short_by_the_server_still_gives_the_typed_exception()
    {
        // The status is what the caller branches on; the broken body is noted and kept as the cause.
        var headersArrived = new SemaphoreSlim(0);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.DropMidBody(headersArrived, 500));
        using var client = new TestClient(server, headersArrived: headersArrived);

        ServerErrorException ex = await Assert.ThrowsAsync<ServerErrorException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        Assert.Null(ex.Error);
        Assert.Equal("""{"id":"item_1","n":""", ex.RawBody);
        Assert.IsAssignableFrom<IOException>(ex.InnerException is HttpRequestException wrapped ? wrapped.InnerException : ex.InnerException);
        Assert.Contains("the response body broke off after 19 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_that_ends_cleanly_but_early_gives_an_invalid_response_exception()
    {
        // No Content-Length, the response completes normally, the JSON simply stops.
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"item_1",""");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync("""  "n": 1""", Encoding.UTF8);
        });
        using var client = new TestClient(server);

        InvalidResponseException ex = await Assert.ThrowsAsync<InvalidResponseException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")));

        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
        Assert.Single(server.Requests);
        Assert.Equal("chunked", ex.Headers.GetValueOrDefault("Transfer-Encoding"));
    }
}
