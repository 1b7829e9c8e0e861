using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary>What <see cref="ApiPipeline.SendAsync{T}"/> puts on the wire.</summary>
public sealed class ApiPipelineRequestTests
{
    [Fact]
    public async Task Method_path_and_query_are_sent_as_built()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);

        ApiRequest request = new ApiRequest(HttpMethod.Delete, "deleteItem")
            .AppendPath("/items/").AppendPathParameter("item_id", "item_1").AppendPath("/versions")
            .AddQuery("limit", 10L)
            .AddQuery("order", "desc")
            .AddQuery("temperature", 0.5)
            .AddQuery("stream", false)
            .AddQuery("q", "a b&c=d/é")
            .AddQuery("absent", (string?)null);
        await client.GetItemAsync(request);

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Equal("DELETE", seen.Method);
        Assert.Equal("/v1/items/item_1/versions?limit=10&order=desc&temperature=0.5&stream=false&q=a%20b%26c%3Dd%2F%C3%A9", seen.RawTarget);
        Assert.Equal("/v1/items/item_1/versions", seen.Path);
    }

    [Fact]
    public async Task A_path_of_many_pieces_and_a_long_query_are_sent_whole_and_read_back_alike()
    {
        // More pieces than the request keeps inline, and more query parameters than its first array holds.
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);
        var request = new ApiRequest(HttpMethod.Get, "deep");
        var expectedPath = new System.Text.StringBuilder();
        for (int i = 0; i < 13; i++)
        {
            request.AppendPath("/level" + i + "/").AppendPathParameter("id", "v " + i);
            expectedPath.Append("/level").Append(i).Append("/v%20").Append(i);
        }

        request.AppendPath("").AppendPath(null!);
        for (int i = 0; i < 11; i++)
        {
            request.AddQuery("k" + i, "x&" + i);
        }

        string expectedQuery = string.Join("&", Enumerable.Range(0, 11).Select(i => "k" + i + "=x%26" + i));
        Assert.Equal(expectedPath.ToString(), request.Path);
        Assert.Equal(expectedQuery, request.Query);
        Assert.Equal("GET " + expectedPath + "?" + expectedQuery, request.ToString());

        await client.GetItemAsync(request);
        await client.GetItemAsync(request);

        Assert.All(server.Requests, seen => Assert.Equal("/v1" + expectedPath + "?" + expectedQuery, seen.RawTarget));
        Assert.Equal(string.Empty, new ApiRequest(HttpMethod.Get, "root").Query);
        Assert.Equal("GET ", new ApiRequest(HttpMethod.Get, "root").ToString());
    }

    [Theory]
    [InlineData("../x", "..%2Fx")]
    [InlineData("a/b?c#d", "a%2Fb%3Fc%23d")]
    [InlineData("100%", "100%25")]
    [InlineData("a b", "a%20b")]
    [InlineData("...", "...")]
    public async Task A_path_parameter_stays_inside_its_segment(string id, string escaped)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(RouteItemsById);
        using var client = new TestClient(server);

        ApiRequest request = new ApiRequest(HttpMethod.Get, "getItemVersions")
            .AppendPath("/items/").AppendPathParameter("item_id", id).AppendPath("/versions");
        ApiResponse<Item> response = await client.GetItemAsync(request);

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Equal("/v1/items/" + escaped + "/versions", seen.RawTarget);
        Assert.Equal(string.Empty, seen.QueryString);

        // The server's route /v1/items/{id}/versions matched, with the whole value as the id.
        Assert.Equal(id, response.Value.Id);
        Assert.Empty(server.HandlerErrors);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    public async Task A_dot_segment_path_parameter_throws_and_sends_nothing(string id)
    {
        // Escaping is not enough for these: System.Uri, Kestrel and many proxies decode %2E and
        // remove dot segments, so /items/%2E%2E/versions would reach /versions.
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());

        ArgumentException ex = Assert.Throws<ArgumentException>(() =>
            new ApiRequest(HttpMethod.Get, "getItemVersions").AppendPath("/items/").AppendPathParameter("item_id", id));

        Assert.Equal("item_id", ex.ParamName);
        Assert.Contains("getItemVersions", ex.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task An_empty_path_parameter_throws_and_sends_nothing(string? id)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);

        ArgumentException ex = Assert.Throws<ArgumentException>(() =>
            new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/").AppendPathParameter("item_id", id!));

        Assert.Equal("item_id", ex.ParamName);
        Assert.Contains("getItem", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task The_api_key_is_sent_as_a_bearer_token()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server, options => options.ApiKey = "sk-test-123");

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Equal("Bearer sk-test-123", seen.Header("Authorization"));
        Assert.Equal("application/json", seen.Header("Accept"));
    }

    [Fact]
    public async Task No_authorization_header_is_sent_without_an_api_key()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Null(seen.Header("Authorization"));
    }

    [Fact]
    public async Task Default_headers_are_sent_with_every_request()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server, options =>
        {
            options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
            options.DefaultHeaders["OpenAI-Organization"] = "org-1";
        });

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/2"));

        Assert.Equal(2, server.RequestCount);
        foreach (RecordedRequest seen in server.Requests)
        {
            Assert.Equal("assistants=v2", seen.Header("OpenAI-Beta"));
            Assert.Equal("org-1", seen.Header("OpenAI-Organization"));
        }
    }

    [Fact]
    public async Task A_request_header_replaces_the_default_header_of_the_same_name()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server, options =>
        {
            options.ApiKey = "sk-default";
            options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        });
        var perRequest = new RequestOptions();
        perRequest.Headers["openai-beta"] = "assistants=v1";
        perRequest.Headers["Authorization"] = "Bearer sk-override";
        perRequest.Headers["X-Trace"] = "t-1";

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), perRequest);

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Equal(new[] { "assistants=v1" }, seen.HeaderValues("OpenAI-Beta"));
        Assert.Equal(new[] { "Bearer sk-override" }, seen.HeaderValues("Authorization"));
        Assert.Equal("t-1", seen.Header("X-Trace"));
    }

    [Fact]
    public async Task Request_query_parameters_are_appended_after_the_operations_own()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);
        var perRequest = new RequestOptions();
        perRequest.QueryParameters.Add(new KeyValuePair<string, string>("api-version", "2024-10-01"));
        perRequest.QueryParameters.Add(new KeyValuePair<string, string>("x y", "1&2"));

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "listItems").AppendPath("/items").AddQuery("limit", 5L), perRequest);
        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "listItems").AppendPath("/items"), perRequest);

        Assert.Equal(
            new[] { "/v1/items?limit=5&api-version=2024-10-01&x%20y=1%262", "/v1/items?api-version=2024-10-01&x%20y=1%262" },
            server.Requests.Select(r => r.RawTarget).ToArray());
    }

    [Theory]
    [InlineData("sk-abc\r\nX-Injected: 1")]
    [InlineData("sk-abc\nX-Injected: 1")]
    [InlineData("sk-abc\r")]
    public void An_api_key_with_a_line_break_is_rejected(string key)
    {
        var options = new ApiClientOptions();

        ArgumentException ex = Assert.Throws<ArgumentException>(() => options.ApiKey = key);

        Assert.Equal("ApiKey", ex.ParamName);
        Assert.DoesNotContain("sk-abc", ex.Message, StringComparison.Ordinal);
        Assert.Null(options.ApiKey);
    }

    [Theory]
    [InlineData("OpenAI-Beta", "assistants=v2\r\nX-Injected: 1")]
    [InlineData("OpenAI-Beta\r\nX-Injected", "1")]
    public async Task A_default_header_with_a_line_break_is_rejected_and_nothing_is_sent(string name, string value)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        var options = new ApiClientOptions { BaseAddress = server.BaseAddress };
        options.DefaultHeaders[name] = value;

        Assert.Throws<ArgumentException>(() => new ApiPipeline(options, server.BaseAddress));

        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("X-Trace", "t-1\r\nX-Injected: 1")]
    [InlineData("X-Trace", "t-1\nX-Injected: 1")]
    [InlineData("X-Trace\r\nX-Injected", "1")]
    public async Task A_request_header_with_a_line_break_is_rejected_and_nothing_is_sent(string name, string value)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);
        var perRequest = new RequestOptions();
        perRequest.Headers[name] = value;

        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), perRequest));

        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Header_parameters_are_sent_and_a_null_one_is_left_out()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server, options => options.DefaultHeaders["OpenAI-Beta"] = "assistants=v1");

        ApiRequest request = new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")
            .AddHeader("OpenAI-Beta", "assistants=v2")
            .AddHeader("X-Idempotency-Key", "idem-1")
            .AddHeader("X-Absent", null);
        await client.GetItemAsync(request);

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Equal(new[] { "assistants=v2" }, seen.HeaderValues("OpenAI-Beta"));
        Assert.Equal("idem-1", seen.Header("X-Idempotency-Key"));
        Assert.Null(seen.Header("X-Absent"));
    }

    [Fact]
    public async Task A_request_option_header_replaces_a_header_parameter_of_the_same_name()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);
        var perRequest = new RequestOptions();
        perRequest.Headers["x-idempotency-key"] = "from-options";

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1").AddHeader("X-Idempotency-Key", "from-parameter"), perRequest);

        Assert.Equal(new[] { "from-options" }, Assert.Single(server.Requests).HeaderValues("X-Idempotency-Key"));
    }

    [Theory]
    [InlineData("idem\r\nX-Injected: 1")]
    [InlineData("idem\nX-Injected: 1")]
    public void A_header_parameter_with_a_line_break_is_rejected(string value)
    {
        var request = new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1");

        ArgumentException ex = Assert.Throws<ArgumentException>(() => request.AddHeader("X-Idempotency-Key", value));

        Assert.Equal("X-Idempotency-Key", ex.ParamName);
        Assert.Empty(request.Headers);
    }

    [Theory]
    [InlineData("http://api.example.com/v1")]
    [InlineData("http://user:pa55word@10.0.0.8:8080/v1")]
    public void A_plain_http_address_off_the_local_machine_is_refused_unless_allowed(string address)
    {
        var options = new ApiClientOptions { BaseAddress = new Uri(address), ApiKey = TestClient.ApiKey };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => new ApiPipeline(options, defaultBaseAddress: null));

        Assert.Contains("plain http", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AllowInsecureHttp", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", ex.Message, StringComparison.Ordinal);
        Secrets.AssertNoneIn(ex.Message);

        options.AllowInsecureHttp = true;
        Assert.Equal(address, new ApiPipeline(options, null).BaseAddress);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/v1")]
    [InlineData("http://localhost:5000/v1")]
    [InlineData("http://[::1]:5000/v1")]
    [InlineData("https://api.example.com/v1")]
    public void Https_and_loopback_addresses_are_accepted(string address)
    {
        var pipeline = new ApiPipeline(new ApiClientOptions { BaseAddress = new Uri(address) }, defaultBaseAddress: null);

        Assert.Equal(address, pipeline.BaseAddress);
    }

    [Fact]
    public void The_options_description_names_neither_the_key_nor_a_password_in_the_address()
    {
        var options = new ApiClientOptions { BaseAddress = new Uri("https://user:pa55word@api.example.com/v1"), ApiKey = TestClient.ApiKey };

        string text = options.ToString();

        Assert.Contains("api.example.com/v1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", text, StringComparison.Ordinal);
        Secrets.AssertNoneIn(text);
    }

    [Fact]
    public void A_pipeline_without_any_base_address_is_rejected()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new ApiPipeline(new ApiClientOptions(), defaultBaseAddress: null));

        Assert.Contains("BaseAddress", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_body_is_sent_as_written_with_a_utf8_json_content_type()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);

        ApiRequest request = new ApiRequest(HttpMethod.Post, "createItem")
            .AppendPath("/items")
            .SetJsonBody(new Item("né \"quoted\"", 7), Readers.WriteItem);
        await client.GetItemAsync(request);

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("application/json; charset=utf-8", seen.Header("Content-Type"));
        Assert.Equal(request.JsonBody!.Value.ToArray(), seen.Body);
        Assert.Equal("{\"id\":\"n\\u00E9 \\u0022quoted\\u0022\",\"n\":7}", seen.BodyText);
        Assert.Equal(seen.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), seen.Header("Content-Length"));
    }

    [Fact]
    public async Task A_multipart_body_with_no_part_is_not_sent_and_one_with_a_part_is()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);

        // Every member optional and unset: an empty multipart message would be one nameless part.
        MultipartBody empty = MultipartBody.FromJson(new Item(null!, 0), (writer, _) => { writer.WriteStartObject(); writer.WriteNull("zip"); writer.WriteEndObject(); });
        Assert.True(empty.IsEmpty);
        await client.GetItemAsync(new ApiRequest(HttpMethod.Post, "upload").AppendPath("/items").SetMultipartBody(empty));
        await client.GetItemAsync(new ApiRequest(HttpMethod.Post, "upload").AppendPath("/items").SetMultipartBody(new MultipartBody().AddText("title", "t")));

        Assert.Equal(2, server.Requests.Count);
        Assert.Empty(server.Requests[0].Body);
        Assert.Empty(server.Requests[0].HeaderValues("Content-Type"));
        Assert.StartsWith("multipart/form-data; boundary=", server.Requests[1].Header("Content-Type"));
        Assert.Contains("name=\"title\"", server.Requests[1].BodyText);
    }

    [Fact]
    public void Json_bodies_written_one_after_another_keep_exactly_their_own_bytes()
    {
        // The writer and its buffer are reused per thread; each body must still be its own copy,
        // whatever came before it: a failed write, a nested one, a body too large to keep the buffer for.
        static string Body(ApiRequest request) => System.Text.Encoding.UTF8.GetString(request.JsonBody!.Value.Span);

        ApiRequest first = new ApiRequest(HttpMethod.Post, "createItem").SetJsonBody(new Item("first", 1), Readers.WriteItem);
        Assert.Throws<InvalidOperationException>(() => new ApiRequest(HttpMethod.Post, "createItem").SetJsonBody(0, (writer, _) =>
        {
            writer.WriteStartObject();
            writer.WriteString("half", "written");
            throw new InvalidOperationException("the model broke");
        }));
        ApiRequest afterFailure = new ApiRequest(HttpMethod.Post, "createItem").SetJsonBody(new Item("second", 2), Readers.WriteItem);

        ApiRequest? inner = null;
        ApiRequest outer = new ApiRequest(HttpMethod.Post, "createItem").SetJsonBody(new Item("outer", 3), (writer, item) =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", item.Id);
            inner = new ApiRequest(HttpMethod.Post, "createItem").SetJsonBody(new Item("inner", 4), Readers.WriteItem);
            writer.WriteNumber("n", item.N);
            writer.WriteEndObject();
        });

        string large = new('x', 200_000);
        ApiRequest big = new ApiRequest(HttpMethod.Post, "createItem").SetJsonBody(new Item(large, 5), Readers.WriteItem);
        ApiRequest afterLarge = new ApiRequest(HttpMethod.Post, "createItem").SetJsonBody(new Item("last", 6), Readers.WriteItem);

        Assert.Equal("""{"id":"first","n":1}""", Body(first));
        Assert.Equal("""{"id":"second","n":2}""", Body(afterFailure));
        Assert.Equal("""{"id":"outer","n":3}""", Body(outer));
        Assert.Equal("""{"id":"inner","n":4}""", Body(inner!));
        Assert.Equal("{\"id\":\"" + large + "\",\"n\":5}", Body(big));
        Assert.Equal("""{"id":"last","n":6}""", Body(afterLarge));
        Assert.Equal(first.JsonBody!.Value.Length, System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first.JsonBody.Value, out ArraySegment<byte> array) ? array.Array!.Length : -1);
    }

    [Fact]
    public async Task A_request_without_a_body_sends_no_content()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Empty(seen.Body);
        Assert.Null(seen.Header("Content-Type"));
    }

    [Fact]
    public async Task A_handler_reads_the_fixed_headers_parsed()
    {
        // The pipeline adds them as text; a DelegatingHandler must still see typed values.
        var handler = new Capture();
        using var http = new HttpClient(handler);
        var pipeline = new ApiPipeline(new ApiClientOptions { BaseAddress = new Uri("http://127.0.0.1:1/v1"), ApiKey = "sk-typed" }, null, http);

        await pipeline.SendAsync(
            new ApiRequest(HttpMethod.Post, "createItem").AppendPath("/items").SetJsonBody(new Item("a", 1), Readers.WriteItem), Readers.ReadItem, null, default);

        Assert.Equal("Bearer", handler.Authorization!.Scheme);
        Assert.Equal("sk-typed", handler.Authorization.Parameter);
        Assert.Equal("application/json", Assert.Single(handler.Accept!).MediaType);
        Assert.Equal("application/json", handler.ContentType!.MediaType);
        Assert.Equal("utf-8", handler.ContentType.CharSet);
    }

    private sealed class Capture : HttpMessageHandler
    {
        public System.Net.Http.Headers.AuthenticationHeaderValue? Authorization { get; private set; }

        public System.Net.Http.Headers.MediaTypeWithQualityHeaderValue[]? Accept { get; private set; }

        public System.Net.Http.Headers.MediaTypeHeaderValue? ContentType { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
        {
            Authorization = request.Headers.Authorization;
            Accept = request.Headers.Accept.ToArray();
            ContentType = request.Content?.Headers.ContentType;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(Respond.ItemJson) });
        }
    }

    // Answers GET /v1/items/{id}/versions with {"id": id}, deciding the route from the path Kestrel
    // decoded (what any ASP.NET route would see) and answering 404 for anything else.
    private static Task RouteItemsById(HttpContext context)
    {
        string[] segments = context.Request.Path.Value!.Split('/');
        if (segments.Length != 5 || segments[0].Length != 0 || segments[1] != "v1" || segments[2] != "items" || segments[4] != "versions" || context.Request.QueryString.HasValue)
        {
            return Respond.Json("""{"error":{"message":"no route"}}""", 404)(context);
        }

        // Kestrel leaves %2F encoded in Path (so that it cannot split a segment); decode it here as
        // routing does for a catch-all-free template value.
        string id = Uri.UnescapeDataString(segments[3]);
        string json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = id, ["n"] = 1 });
        return Respond.Json(json)(context);
    }
}
