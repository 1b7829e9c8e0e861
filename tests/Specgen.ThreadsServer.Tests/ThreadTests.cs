using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;

namespace Specgen.ThreadsServer.Tests;

public sealed class ThreadTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public ThreadTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Creating_a_thread_without_a_body_returns_an_empty_thread_object()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var response = await _server.PostAsync("threads", null);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
        Assert.Equal(["created_at", "id", "metadata", "object", "tool_resources"], ApiResponse.Keys(response.Json));
        Assert.Matches("^thread_[A-Za-z0-9]{24}$", response.String("id"));
        Assert.Equal("thread", response.String("object"));
        Assert.InRange(response.Json.GetProperty("created_at").GetInt64(), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("{}", Compact(response.Json.GetProperty("metadata")));
        Assert.Equal("{}", Compact(response.Json.GetProperty("tool_resources")));
        Assert.Matches("^req_[0-9a-f]{32}$", response.RequestId);
    }

    [Fact]
    public async Task Creating_a_thread_with_an_empty_json_object_is_the_same_as_no_body()
    {
        var response = await _server.PostAsync("threads", "{}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("{}", Compact(response.Json.GetProperty("metadata")));
    }

    [Fact]
    public async Task Creating_a_thread_keeps_its_metadata_and_normalized_tool_resources()
    {
        var response = await _server.PostAsync("threads", """
            {
              "metadata": {"user": "abc123", "topic": "tests"},
              "tool_resources": {"code_interpreter": {"file_ids": ["file-1", "file-2"]}, "file_search": {"vector_store_ids": ["vs_1"]}}
            }
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("""{"user":"abc123","topic":"tests"}""", Compact(response.Json.GetProperty("metadata")));
        Assert.Equal(
            """{"code_interpreter":{"file_ids":["file-1","file-2"]},"file_search":{"vector_store_ids":["vs_1"]}}""",
            Compact(response.Json.GetProperty("tool_resources")));
    }

    [Fact]
    public async Task The_vector_store_helper_on_create_gives_the_thread_a_new_vector_store_id()
    {
        var response = await _server.PostAsync("threads", """
            {"tool_resources": {"file_search": {"vector_stores": [{"file_ids": ["file-1"]}]}}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var ids = response.Json.GetProperty("tool_resources").GetProperty("file_search").GetProperty("vector_store_ids");
        Assert.Matches("^vs_[A-Za-z0-9]{24}$", Assert.Single(ids.EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Getting_a_thread_returns_what_creating_it_returned()
    {
        var created = await _server.PostAsync("threads", """{"metadata": {"k": "v"}}""");
        var id = created.String("id");

        var fetched = await _server.GetAsync($"threads/{id}");

        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal(Compact(created.Json), Compact(fetched.Json));
    }

    [Fact]
    public async Task Each_thread_gets_a_distinct_id()
    {
        var first = await _server.CreateThreadAsync();
        var second = await _server.CreateThreadAsync();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Modifying_a_thread_replaces_its_metadata_and_tool_resources()
    {
        var id = await _server.CreateThreadAsync("""
            {"metadata": {"old": "1", "kept": "no"}, "tool_resources": {"code_interpreter": {"file_ids": ["file-1"]}}}
            """);

        var modified = await _server.PostAsync($"threads/{id}", """
            {"metadata": {"modified": "true", "user": "abc123"}, "tool_resources": {"file_search": {"vector_store_ids": ["vs_2"]}}}
            """);

        Assert.Equal(HttpStatusCode.OK, modified.Status);
        Assert.Equal(id, modified.String("id"));
        Assert.Equal("""{"modified":"true","user":"abc123"}""", Compact(modified.Json.GetProperty("metadata")));
        Assert.Equal("""{"file_search":{"vector_store_ids":["vs_2"]}}""", Compact(modified.Json.GetProperty("tool_resources")));
        var fetched = await _server.GetAsync($"threads/{id}");
        Assert.Equal(Compact(modified.Json), Compact(fetched.Json));
    }

    [Fact]
    public async Task Modifying_only_the_metadata_leaves_the_tool_resources_alone()
    {
        var id = await _server.CreateThreadAsync("""{"tool_resources": {"code_interpreter": {"file_ids": ["file-1"]}}}""");

        var modified = await _server.PostAsync($"threads/{id}", """{"metadata": {"a": "b"}}""");

        Assert.Equal("""{"code_interpreter":{"file_ids":["file-1"]}}""", Compact(modified.Json.GetProperty("tool_resources")));
        Assert.Equal("""{"a":"b"}""", Compact(modified.Json.GetProperty("metadata")));
    }

    [Fact]
    public async Task Deleting_a_thread_returns_the_deletion_status_and_removes_it_with_its_messages()
    {
        var id = await _server.CreateThreadAsync();
        var messageId = (await _server.CreateMessagesAsync(id, 1))[0];

        var deleted = await _server.DeleteAsync($"threads/{id}");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal($$"""{"id":"{{id}}","object":"thread.deleted","deleted":true}""", Compact(deleted.Json));
        Assert.Equal(HttpStatusCode.NotFound, (await _server.GetAsync($"threads/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.GetAsync($"threads/{id}/messages")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.GetAsync($"threads/{id}/messages/{messageId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.DeleteAsync($"threads/{id}")).Status);
    }

    [Fact]
    public async Task Creating_a_thread_with_initial_messages_stores_them_in_order()
    {
        var created = await _server.PostAsync("threads", """
            {"messages": [
              {"role": "user", "content": "first"},
              {"role": "assistant", "content": "second", "metadata": {"n": "2"}},
              {"role": "user", "content": [{"type": "text", "text": "third"}]}
            ]}
            """);
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var id = created.String("id");

        var list = await _server.GetAsync($"threads/{id}/messages?order=asc");

        var data = list.Json.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["first", "second", "third"], data.Select(m => m.GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString()));
        Assert.Equal(["user", "assistant", "user"], data.Select(m => m.GetProperty("role").GetString()));
        Assert.All(data, m => Assert.Equal(id, m.GetProperty("thread_id").GetString()));
        Assert.Equal("""{"n":"2"}""", Compact(data[1].GetProperty("metadata")));
        Assert.Equal(created.Json.GetProperty("created_at").GetInt64(), data[0].GetProperty("created_at").GetInt64());
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
