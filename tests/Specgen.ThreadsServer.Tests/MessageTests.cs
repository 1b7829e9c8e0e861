using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;

namespace Specgen.ThreadsServer.Tests;

public sealed class MessageTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public MessageTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task A_message_with_string_content_has_the_full_message_object_shape()
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.PostAsync($"threads/{threadId}/messages", """
            {"role": "user", "content": "How does AI work? Explain it in simple terms."}
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(
            ["assistant_id", "attachments", "completed_at", "content", "created_at", "id", "incomplete_at",
             "incomplete_details", "metadata", "object", "role", "run_id", "status", "thread_id"],
            ApiResponse.Keys(response.Json));
        var message = response.Json;
        Assert.Matches("^msg_[A-Za-z0-9]{24}$", message.GetProperty("id").GetString());
        Assert.Equal("thread.message", message.GetProperty("object").GetString());
        Assert.Equal(threadId, message.GetProperty("thread_id").GetString());
        Assert.Equal("completed", message.GetProperty("status").GetString());
        Assert.Equal("user", message.GetProperty("role").GetString());
        foreach (var name in new[] { "assistant_id", "run_id", "incomplete_details", "completed_at", "incomplete_at" })
        {
            Assert.Equal(JsonValueKind.Null, message.GetProperty(name).ValueKind);
        }

        Assert.Equal(
            """[{"type":"text","text":{"value":"How does AI work? Explain it in simple terms.","annotations":[]}}]""",
            Compact(message.GetProperty("content")));
        Assert.Equal("[]", Compact(message.GetProperty("attachments")));
        Assert.Equal("{}", Compact(message.GetProperty("metadata")));
    }

    [Fact]
    public async Task Array_content_turns_text_parts_into_text_objects_and_keeps_image_parts()
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.PostAsync($"threads/{threadId}/messages", """
            {"role": "user", "content": [
              {"type": "text", "text": "Look at these"},
              {"type": "image_file", "image_file": {"file_id": "file-abc", "detail": "high"}},
              {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(
            """[{"type":"text","text":{"value":"Look at these","annotations":[]}},"""
            + """{"type":"image_file","image_file":{"file_id":"file-abc","detail":"high"}},"""
            + """{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]""",
            Compact(response.Json.GetProperty("content")));
    }

    [Fact]
    public async Task Attachments_and_metadata_are_returned_as_given()
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.PostAsync($"threads/{threadId}/messages", """
            {"role": "assistant", "content": "see file",
             "attachments": [{"file_id": "file-1", "tools": [{"type": "code_interpreter"}, {"type": "file_search"}]}],
             "metadata": {"source": "test"}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("assistant", response.String("role"));
        Assert.Equal(
            """[{"file_id":"file-1","tools":[{"type":"code_interpreter"},{"type":"file_search"}]}]""",
            Compact(response.Json.GetProperty("attachments")));
        Assert.Equal("""{"source":"test"}""", Compact(response.Json.GetProperty("metadata")));
    }

    [Fact]
    public async Task Getting_a_message_returns_what_creating_it_returned()
    {
        var threadId = await _server.CreateThreadAsync();
        var created = await _server.PostAsync($"threads/{threadId}/messages", """{"role": "user", "content": "hello"}""");

        var fetched = await _server.GetAsync($"threads/{threadId}/messages/{created.String("id")}");

        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal(Compact(created.Json), Compact(fetched.Json));
    }

    [Fact]
    public async Task Modifying_a_message_replaces_its_metadata_only()
    {
        var threadId = await _server.CreateThreadAsync();
        var created = await _server.PostAsync($"threads/{threadId}/messages", """{"role": "user", "content": "hello", "metadata": {"a": "1"}}""");
        var messageId = created.String("id");

        var modified = await _server.PostAsync($"threads/{threadId}/messages/{messageId}", """{"metadata": {"modified": "true", "user": "abc123"}}""");

        Assert.Equal(HttpStatusCode.OK, modified.Status);
        Assert.Equal("""{"modified":"true","user":"abc123"}""", Compact(modified.Json.GetProperty("metadata")));
        Assert.Equal(Compact(created.Json.GetProperty("content")), Compact(modified.Json.GetProperty("content")));
        Assert.Equal(created.Json.GetProperty("created_at").GetInt64(), modified.Json.GetProperty("created_at").GetInt64());
        var fetched = await _server.GetAsync($"threads/{threadId}/messages/{messageId}");
        Assert.Equal(Compact(modified.Json), Compact(fetched.Json));
    }

    [Fact]
    public async Task Deleting_a_message_returns_the_deletion_status_and_removes_it_from_the_thread()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 2);

        var deleted = await _server.DeleteAsync($"threads/{threadId}/messages/{ids[0]}");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal($$"""{"id":"{{ids[0]}}","object":"thread.message.deleted","deleted":true}""", Compact(deleted.Json));
        Assert.Equal(HttpStatusCode.NotFound, (await _server.GetAsync($"threads/{threadId}/messages/{ids[0]}")).Status);
        Assert.Equal([ids[1]], (await _server.GetAsync($"threads/{threadId}/messages")).DataIds());
    }

    [Fact]
    public async Task Messages_are_created_concurrently_without_losing_any()
    {
        var threadId = await _server.CreateThreadAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            _server.PostAsync($"threads/{threadId}/messages", $$"""{"role": "user", "content": "c{{i}}"}""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var list = await _server.GetAsync($"threads/{threadId}/messages?limit=100&order=asc");
        Assert.Equal(
            responses.Select(r => r.String("id")).Order(StringComparer.Ordinal),
            list.DataIds().Order(StringComparer.Ordinal));
        Assert.Equal(40, list.DataIds().Distinct().Count());
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
