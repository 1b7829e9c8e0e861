using System;
using System.Net;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>What the server refuses arrives as the typed exception for its status, with the server's own details.</summary>
public sealed class ErrorTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public ErrorTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Getting_an_unknown_thread_throws_NotFoundException_with_status_request_id_and_the_server_message()
    {
        NotFoundException error = await Assert.ThrowsAsync<NotFoundException>(() => Client.GetThreadAsync("thread_missing"));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal("getThread", error.OperationId);
        Assert.Equal("GET", error.Method);
        Assert.Equal("/threads/thread_missing", error.Path);
        Assert.Matches("^req_[0-9a-f]{32}$", error.RequestId);
        Assert.Equal(error.RequestId, error.Headers["x-request-id"]);
        Assert.NotNull(error.Error);
        Assert.Equal("No thread found with id 'thread_missing'.", error.Error!.Message);
        Assert.Equal("invalid_request_error", error.Error.Type);
        Assert.Null(error.Error.Param);
        Assert.Contains("\"No thread found with id 'thread_missing'.\"", error.RawBody, StringComparison.Ordinal);
        Assert.Contains("getThread", error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.RequestId!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_operation_on_an_unknown_thread_throws_NotFoundException()
    {
        const string missing = "thread_missing";
        var body = new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "hi" };

        await Assert.ThrowsAsync<NotFoundException>(() => Client.ModifyThreadAsync(missing, new ModifyThreadRequest()));
        await Assert.ThrowsAsync<NotFoundException>(() => Client.DeleteThreadAsync(missing));
        await Assert.ThrowsAsync<NotFoundException>(() => Client.CreateMessageAsync(missing, body));
        await Assert.ThrowsAsync<NotFoundException>(() => Client.ListMessagesAsync(missing));
        await Assert.ThrowsAsync<NotFoundException>(() => Client.GetMessageAsync(missing, "msg_x"));
        await Assert.ThrowsAsync<NotFoundException>(() => Client.ModifyMessageAsync(missing, "msg_x", new ModifyMessageRequest()));
        await Assert.ThrowsAsync<NotFoundException>(() => Client.DeleteMessageAsync(missing, "msg_x"));
        Assert.Equal(7, _api.Recorder.Requests.Count);
    }

    [Fact]
    public async Task A_role_the_client_lets_through_but_the_server_rejects_throws_BadRequestException_naming_the_param()
    {
        // Enums are extensible on purpose (a newer API may add roles), so "system" passes the
        // client's own checks; the server knows only user and assistant.
        ThreadObject thread = await _api.NewThreadAsync();

        BadRequestException error = await Assert.ThrowsAsync<BadRequestException>(() => Client.CreateMessageAsync(thread.Id, new CreateMessageRequest
        {
            Role = "system",
            Content = "You are a pirate.",
        }));

        Assert.Equal("{\"role\":\"system\",\"content\":\"You are a pirate.\"}", _api.Recorder.Single().Body);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("createMessage", error.OperationId);
        Assert.Equal("role", error.Error!.Param);
        Assert.Equal("Invalid value: 'system'. Supported values are: 'user' and 'assistant'.", error.Error.Message);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task A_cursor_that_names_no_message_of_the_thread_throws_BadRequestException()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        BadRequestException error = await Assert.ThrowsAsync<BadRequestException>(() => Client.ListMessagesAsync(thread.Id, after: "msg_elsewhere & more=1"));

        // The cursor reached the server as one query value, escaped; the server quotes it back decoded.
        Assert.Equal($"/v1/threads/{thread.Id}/messages?after=msg_elsewhere%20%26%20more%3D1", _api.Recorder.Single().PathAndQuery);
        Assert.Equal("after", error.Error!.Param);
        Assert.Equal("Invalid 'after': no message found with id 'msg_elsewhere & more=1' in this thread.", error.Error.Message);
    }

    [Fact]
    public async Task An_id_with_a_slash_and_dots_stays_inside_its_path_segment()
    {
        NotFoundException error = await Assert.ThrowsAsync<NotFoundException>(() => Client.GetThreadAsync("../x"));

        SentRequest sent = _api.Recorder.Single();
        Assert.Equal("/v1/threads/..%2Fx", sent.PathAndQuery);
        Assert.Contains("..%2Fx", sent.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("/threads/..%2Fx", error.Path);
        // The getThread route answered (a thread lookup), not the 404 of an unmatched URL such as /v1/x.
        Assert.StartsWith("No thread found with id '..", error.Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid URL", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_id_with_a_slash_and_dots_stays_inside_its_path_segment()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        NotFoundException error = await Assert.ThrowsAsync<NotFoundException>(() => Client.DeleteMessageAsync(thread.Id, "../../threads"));

        Assert.Equal($"/v1/threads/{thread.Id}/messages/..%2F..%2Fthreads", _api.Recorder.Single().PathAndQuery);
        Assert.StartsWith("No message found with id '..", error.Error!.Message, StringComparison.Ordinal);
        Assert.NotNull(await Client.GetThreadAsync(thread.Id));
    }
}
