using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>What the generated client puts on the wire: bodies without unset members, and its headers.</summary>
public sealed class WireFormatTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public WireFormatTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task A_message_with_only_role_and_content_is_sent_without_the_unset_optional_members()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        await Client.CreateMessageAsync(thread.Id, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "hi" });

        SentRequest sent = _api.Recorder.Single();
        Assert.Equal("{\"role\":\"user\",\"content\":\"hi\"}", sent.Body);
        Assert.Equal("application/json; charset=utf-8", sent.Header("Content-Type"));
    }

    [Fact]
    public async Task Nested_optional_members_are_omitted_too_and_set_ones_are_written_with_their_json_names()
    {
        await Client.CreateThreadAsync(new CreateThreadRequest
        {
            Messages =
            [
                new CreateMessageRequest
                {
                    Role = CreateMessageRequestRole.User,
                    Content = new List<MessageContentPartInput>
                    {
                        new MessageContentImageUrl { ImageUrl = new ImageUrlReference { Url = "https://example.com/a.png" } },
                    },
                    Attachments = [new MessageAttachment { FileId = "file_1" }],
                },
            ],
            ToolResources = new CreateThreadToolResources { CodeInterpreter = new CodeInterpreterResources() },
        });

        Assert.Equal(
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}],"
            + "\"attachments\":[{\"file_id\":\"file_1\"}]}],\"tool_resources\":{\"code_interpreter\":{}}}",
            _api.Recorder.Single().Body);
    }

    [Fact]
    public async Task An_empty_create_thread_request_is_sent_as_an_empty_object()
    {
        await Client.CreateThreadAsync(new CreateThreadRequest());

        Assert.Equal("{}", _api.Recorder.Single().Body);
    }

    [Fact]
    public async Task Requests_without_a_body_send_no_content()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        await _api.AddMessagesAsync(thread.Id, 1);

        await Client.GetThreadAsync(thread.Id);
        await Client.ListMessagesAsync(thread.Id);
        await Client.DeleteThreadAsync(thread.Id);

        Assert.All(_api.Recorder.Requests, sent =>
        {
            Assert.Null(sent.Body);
            Assert.Null(sent.Header("Content-Type"));
        });
    }

    [Fact]
    public async Task Every_request_carries_the_bearer_key_the_default_OpenAI_Beta_header_and_accepts_json()
    {
        ThreadObject thread = await Client.CreateThreadAsync();
        MessageObject message = await Client.CreateMessageAsync(thread.Id, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "hi" });
        await Client.ListMessagesAsync(thread.Id);
        await Client.DeleteMessageAsync(thread.Id, message.Id);

        Assert.Equal(4, _api.Recorder.Requests.Count);
        Assert.All(_api.Recorder.Requests, sent =>
        {
            Assert.Equal($"Bearer {RecordedClient.ApiKey}", sent.Header("Authorization"));
            Assert.Equal("assistants=v2", sent.Header("OpenAI-Beta"));
            Assert.Equal("application/json", sent.Header("Accept"));
        });
    }

    [Fact]
    public async Task A_per_request_header_replaces_the_default_of_the_same_name_for_that_call_only()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        var options = new RequestOptions();
        options.Headers["openai-beta"] = "assistants=v3";

        await Client.GetThreadAsync(thread.Id, options);
        await Client.GetThreadAsync(thread.Id);

        Assert.Equal(["assistants=v3", "assistants=v2"], _api.Recorder.Requests.Select(sent => sent.Header("OpenAI-Beta")));
    }

    [Fact]
    public async Task Without_an_api_key_nothing_is_sent_since_the_spec_requires_the_bearer_key()
    {
        var recorder = new RecordingHandler();
        using var recordedHttp = new System.Net.Http.HttpClient(recorder);
        var client = new ThreadsClient(new ApiClientOptions { BaseAddress = _api.Options.BaseAddress }, recordedHttp);

        await Assert.ThrowsAsync<MissingCredentialException>(() => client.CreateThreadAsync());

        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task The_api_key_goes_as_a_bearer_token_through_the_generated_credentials_too()
    {
        var recorder = new RecordingHandler();
        using var recordedHttp = new System.Net.Http.HttpClient(recorder);
        var credentials = new ThreadsClientCredentials { ApiKeyAuth = "sk-from-credentials" };
        var client = new ThreadsClient(new ApiClientOptions { Credentials = credentials, ApiKey = "sk-overridden", BaseAddress = _api.Options.BaseAddress }, recordedHttp);

        await client.CreateThreadAsync();

        Assert.Equal("Bearer sk-from-credentials", recorder.Single().Header("Authorization"));
    }

    [Fact]
    public async Task Query_parameters_are_sent_only_when_given_with_the_spec_names_in_the_spec_order()
    {
        const string page = """{"object":"list","data":[],"first_id":"msg_a","last_id":"msg_a","has_more":false}""";
        await using StubServer server = await StubServer.RespondingAsync(200, page);
        var recorder = new RecordingHandler();
        using var http = new System.Net.Http.HttpClient(recorder);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress }, http);

        await client.ListMessagesAsync("thread_1");
        await client.ListMessagesAsync("thread_1", limit: 100, order: ListMessagesOrder.Desc, after: "msg_a", before: "msg_b", runId: "run_1");
        await client.ListMessagesAsync("thread_1", runId: "run_1");

        Assert.Equal(
            [
                "/v1/threads/thread_1/messages",
                "/v1/threads/thread_1/messages?limit=100&order=desc&after=msg_a&before=msg_b&run_id=run_1",
                "/v1/threads/thread_1/messages?run_id=run_1",
            ],
            recorder.Requests.Select(sent => sent.PathAndQuery));
    }
}
