using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;

namespace Specgen.ThreadsServer.Tests;

public sealed class ErrorTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public ErrorTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task An_unknown_thread_is_a_404_in_the_error_envelope_with_a_request_id()
    {
        var response = await _server.GetAsync("threads/thread_doesnotexist");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Matches("^req_[0-9a-f]{32}$", response.RequestId);
        Assert.Equal(["error"], ApiResponse.Keys(response.Json));
        var error = response.Json.GetProperty("error");
        Assert.Equal(["code", "message", "param", "type"], ApiResponse.Keys(error));
        Assert.Equal("No thread found with id 'thread_doesnotexist'.", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Theory]
    [InlineData("POST", "threads/thread_nope", """{"metadata": {}}""")]
    [InlineData("DELETE", "threads/thread_nope", null)]
    [InlineData("GET", "threads/thread_nope/messages", null)]
    [InlineData("POST", "threads/thread_nope/messages", """{"role": "user", "content": "x"}""")]
    [InlineData("POST", "threads/thread_nope/messages", "not even json")]
    [InlineData("GET", "threads/thread_nope/messages/msg_nope", null)]
    [InlineData("POST", "threads/thread_nope/messages/msg_nope", """{"metadata": {}}""")]
    [InlineData("DELETE", "threads/thread_nope/messages/msg_nope", null)]
    public async Task Every_operation_on_an_unknown_thread_is_a_404(string method, string path, string? body)
    {
        var response = await _server.SendAsync(new HttpMethod(method), path, body);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("No thread found with id 'thread_nope'.", response.Json.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("POST", """{"metadata": {}}""")]
    [InlineData("DELETE", null)]
    public async Task Every_operation_on_an_unknown_message_is_a_404(string method, string? body)
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.SendAsync(new HttpMethod(method), $"threads/{threadId}/messages/msg_nope", body);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("No message found with id 'msg_nope'.", response.Json.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", response.Json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_message_is_not_found_through_another_thread()
    {
        var owner = await _server.CreateThreadAsync();
        var other = await _server.CreateThreadAsync();
        var messageId = (await _server.CreateMessagesAsync(owner, 1))[0];

        var response = await _server.GetAsync($"threads/{other}/messages/{messageId}");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Theory]
    [InlineData("{\"role\": \"user\", \"content\": ", null)]
    [InlineData("[1, 2]", null)]
    [InlineData("""{"role": "system", "content": "hi"}""", "role")]
    [InlineData("""{"role": 1, "content": "hi"}""", "role")]
    [InlineData("""{"content": "hi"}""", "role")]
    [InlineData("""{"role": "user"}""", "content")]
    [InlineData("""{"role": "user", "content": null}""", "content")]
    [InlineData("""{"role": "user", "content": 42}""", "content")]
    [InlineData("""{"role": "user", "content": []}""", "content")]
    [InlineData("""{"role": "user", "content": [{"type": "audio", "audio": {}}]}""", "content[0].type")]
    [InlineData("""{"role": "user", "content": [{"type": "text", "text": 5}]}""", "content[0].text")]
    [InlineData("""{"role": "user", "content": [{"type": "image_file", "image_file": {}}]}""", "content[0].image_file.file_id")]
    [InlineData("""{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u", "detail": "max"}}]}""", "content[0].image_url.detail")]
    [InlineData("""{"role": "user", "content": "hi", "attachments": [{"file_id": "f", "tools": [{"type": "web"}]}]}""", "attachments[0].tools[0].type")]
    [InlineData("""{"role": "user", "content": "hi", "metadata": "x"}""", "metadata")]
    [InlineData("""{"role": "user", "content": "hi", "metadata": {"k": 1}}""", "metadata.k")]
    [InlineData("""{"role": "user", "content": "hi", "file_ids": []}""", "file_ids")]
    public async Task An_invalid_create_message_request_is_a_400_naming_the_parameter(string body, string? param)
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.PostAsync($"threads/{threadId}/messages", body);

        AssertInvalidRequest(response, param);
    }

    [Fact]
    public async Task A_create_message_request_without_a_body_is_a_400()
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.PostAsync($"threads/{threadId}/messages", null);

        AssertInvalidRequest(response, null);
    }

    [Fact]
    public async Task Metadata_with_more_than_16_pairs_is_a_400()
    {
        var pairs = string.Join(", ", Enumerable.Range(0, 17).Select(i => $"\"k{i}\": \"v\""));

        var response = await _server.PostAsync("threads", "{\"metadata\": {" + pairs + "}}");

        AssertInvalidRequest(response, "metadata");
        Assert.Contains("16", response.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_with_exactly_16_pairs_and_maximum_lengths_is_accepted()
    {
        var pairs = string.Join(", ", Enumerable.Range(0, 16).Select(i => $"\"{i:D2}{new string('k', 62)}\": \"{new string('v', 512)}\""));

        var response = await _server.PostAsync("threads", "{\"metadata\": {" + pairs + "}}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(16, response.Json.GetProperty("metadata").EnumerateObject().Count());
    }

    [Fact]
    public async Task A_metadata_key_longer_than_64_characters_is_a_400()
    {
        var response = await _server.PostAsync("threads", MetadataBody(new string('k', 65), "v"));

        AssertInvalidRequest(response, "metadata");
    }

    [Fact]
    public async Task A_metadata_value_longer_than_512_characters_is_a_400()
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.PostAsync($"threads/{threadId}", MetadataBody("k", new string('v', 513)));

        AssertInvalidRequest(response, "metadata.k");
    }

    [Theory]
    [InlineData("""{"unknown": 1}""", "unknown")]
    [InlineData("""{"messages": "hi"}""", "messages")]
    [InlineData("""{"messages": [{"role": "user", "content": "ok"}, {"role": "robot", "content": "no"}]}""", "messages[1].role")]
    [InlineData("""{"messages": [{"role": "user", "content": "ok", "extra": true}]}""", "messages[0].extra")]
    [InlineData("""{"tool_resources": "all"}""", "tool_resources")]
    [InlineData("""{"tool_resources": {"file_search": {"vector_store_ids": ["vs_1", "vs_2"]}}}""", "tool_resources.file_search.vector_store_ids")]
    [InlineData("{not json}", null)]
    public async Task An_invalid_create_thread_request_is_a_400_naming_the_parameter(string body, string? param)
    {
        var response = await _server.PostAsync("threads", body);

        AssertInvalidRequest(response, param);
    }

    [Fact]
    public async Task An_invalid_member_after_valid_initial_messages_still_rejects_the_request()
    {
        var response = await _server.PostAsync("threads", """{"messages": [{"role": "user", "content": "ok"}], "metadata": 3}""");

        AssertInvalidRequest(response, "metadata");
    }

    [Theory]
    [InlineData("""{"metadata": {}, "name": "x"}""", "name")]
    [InlineData("""{"tool_resources": 7}""", "tool_resources")]
    public async Task An_invalid_modify_thread_request_is_a_400(string body, string param)
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.PostAsync($"threads/{threadId}", body);

        AssertInvalidRequest(response, param);
    }

    [Theory]
    [InlineData("""{"metadata": {}, "content": "rewrite"}""", "content")]
    [InlineData("""{"metadata": []}""", "metadata")]
    public async Task An_invalid_modify_message_request_is_a_400(string body, string param)
    {
        var threadId = await _server.CreateThreadAsync();
        var messageId = (await _server.CreateMessagesAsync(threadId, 1))[0];

        var response = await _server.PostAsync($"threads/{threadId}/messages/{messageId}", body);

        AssertInvalidRequest(response, param);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("order=up", "order")]
    [InlineData("after=msg_unknown", "after")]
    [InlineData("before=msg_unknown", "before")]
    public async Task Invalid_list_parameters_are_a_400(string query, string param)
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.GetAsync($"threads/{threadId}/messages?{query}");

        AssertInvalidRequest(response, param);
    }

    [Theory]
    [InlineData("limit=1")]
    [InlineData("limit=100")]
    [InlineData("order=asc")]
    [InlineData("order=desc")]
    public async Task Boundary_list_parameters_are_accepted(string query)
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.GetAsync($"threads/{threadId}/messages?{query}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_in_the_error_envelope()
    {
        var response = await _server.GetAsync("assistants");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Matches("^req_[0-9a-f]{32}$", response.RequestId);
        Assert.Equal("Invalid URL (GET /v1/assistants)", response.Json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unsupported_method_is_reported_in_the_error_envelope()
    {
        var response = await _server.SendAsync(HttpMethod.Put, "threads", "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("invalid_request_error", response.Json.GetProperty("error").GetProperty("type").GetString());
    }

    private static string MetadataBody(string key, string value) => $"{{\"metadata\": {{\"{key}\": \"{value}\"}}}}";

    private static void AssertInvalidRequest(ApiResponse response, string? param)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Matches("^req_[0-9a-f]{32}$", response.RequestId);
        var error = response.Json.GetProperty("error");
        Assert.Equal(["code", "message", "param", "type"], ApiResponse.Keys(error));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }
}
