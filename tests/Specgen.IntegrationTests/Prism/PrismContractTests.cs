using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;
using Xunit.Abstractions;

namespace Specgen.IntegrationTests.Prism;

/// <summary>
/// Contract tests: the generated client against Prism mocking the official OpenAI document (or our
/// fragment when the document is absent). Prism validates every request against the spec and answers
/// 422 when one does not match, so a 2xx here means the request is what the spec asks for; and it
/// answers with the spec's own examples, which the client must read.
/// </summary>
[Collection(PrismCollection.Name)]
public sealed class PrismContractTests : IDisposable
{
    private readonly PrismFixture _prism;
    private readonly ITestOutputHelper _output;
    private readonly RecordingHandler _recorder = new();
    private readonly HttpClient _http;
    private readonly ThreadsClient _client;

    public PrismContractTests(PrismFixture prism, ITestOutputHelper output)
    {
        _prism = prism;
        _output = output;
        _http = new HttpClient(_recorder);
        var options = new ApiClientOptions { BaseAddress = prism.BaseAddress, ApiKey = "sk-prism-contract" };
        options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        _client = new ThreadsClient(options, _http);
    }

    public void Dispose()
    {
        // Shown with a failed test: what Prism said about the requests.
        _output.WriteLine($"Prism mocks {_prism.SpecPath} at {_prism.BaseAddress}; its last lines:{Environment.NewLine}{_prism.Tail(20)}");
        _http.Dispose();
    }

    [Fact]
    public void Prism_mocks_the_official_document_when_it_is_next_to_the_repository_and_our_fragment_otherwise()
    {
        string expected = Environment.GetEnvironmentVariable(RepositoryPaths.PrismSpecVariable) is { Length: > 0 } overridden ? Path.GetFullPath(overridden)
            : File.Exists(RepositoryPaths.OfficialOpenAiDocument) ? RepositoryPaths.OfficialOpenAiDocument
            : RepositoryPaths.ThreadsFragment;

        Assert.Equal(expected, _prism.SpecPath);
        Assert.Equal("/", _prism.BaseAddress.AbsolutePath);
    }

    [Fact]
    public async Task createThread_with_messages_parts_attachments_tool_resources_and_metadata_gets_a_2xx()
    {
        ApiResponse<ThreadObject> response = await _client.CreateThreadWithResponseAsync(new CreateThreadRequest
        {
            Messages =
            [
                new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hello, what is AI?" },
                new CreateMessageRequest
                {
                    Role = CreateMessageRequestRole.Assistant,
                    Content = new List<MessageContentPartInput>
                    {
                        new MessageContentTextInput { Text = "Here is a picture:" },
                        new MessageContentImageUrl { ImageUrl = new ImageUrlReference { Url = "https://example.com/ai.png", Detail = ImageUrlReferenceDetail.High } },
                        new MessageContentImageFile { ImageFile = new ImageFileReference { FileId = "file_abc123", Detail = ImageFileReferenceDetail.Low } },
                    },
                    Attachments = [new MessageAttachment { FileId = "file_def456", Tools = [new CodeInterpreterTool(), new FileSearchTool()] }],
                    Metadata = new Dictionary<string, string> { ["seed"] = "true" },
                },
            ],
            ToolResources = new CreateThreadToolResources
            {
                CodeInterpreter = new CodeInterpreterResources { FileIds = ["file_abc123"] },
                FileSearch = new CreateThreadFileSearchResources
                {
                    VectorStores =
                    [
                        new VectorStoreHelper
                        {
                            FileIds = ["file_def456"],
                            ChunkingStrategy = new StaticChunkingStrategy { Static = new StaticChunkingOptions { MaxChunkSizeTokens = 800, ChunkOverlapTokens = 400 } },
                            Metadata = new Dictionary<string, string> { ["kind"] = "docs" },
                        },
                    ],
                },
            },
            Metadata = new Dictionary<string, string> { ["topic"] = "ai" },
        });

        AssertSuccess(response);
        Assert.Equal("thread", response.Value.Object);
        Assert.False(string.IsNullOrEmpty(response.Value.Id));
    }

    [Fact]
    public async Task createThread_without_a_body_gets_a_2xx()
    {
        ApiResponse<ThreadObject> response = await _client.CreateThreadWithResponseAsync();

        AssertSuccess(response);
        Assert.Null(_recorder.Single().Body);
        Assert.Equal("thread", response.Value.Object);
    }

    [Fact]
    public async Task getThread_gets_a_2xx_and_a_readable_thread()
    {
        ApiResponse<ThreadObject> response = await _client.GetThreadWithResponseAsync("thread_abc123");

        AssertSuccess(response);
        Assert.Equal("thread", response.Value.Object);
        Assert.Equal("/threads/thread_abc123", _recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task modifyThread_with_tool_resources_and_metadata_gets_a_2xx()
    {
        ApiResponse<ThreadObject> response = await _client.ModifyThreadWithResponseAsync("thread_abc123", new ModifyThreadRequest
        {
            ToolResources = new ThreadToolResources
            {
                CodeInterpreter = new CodeInterpreterResources { FileIds = ["file_abc123"] },
                FileSearch = new FileSearchResources { VectorStoreIds = ["vs_abc123"] },
            },
            Metadata = new Dictionary<string, string> { ["modified"] = "true", ["user"] = "abc123" },
        });

        AssertSuccess(response);
        Assert.Equal("thread", response.Value.Object);
    }

    [Fact]
    public async Task deleteThread_gets_a_2xx_and_a_readable_confirmation()
    {
        ApiResponse<DeleteThreadResponse> response = await _client.DeleteThreadWithResponseAsync("thread_abc123");

        AssertSuccess(response);
        Assert.Equal("thread.deleted", response.Value.Object);
        Assert.True(response.Value.Deleted);
    }

    [Fact]
    public async Task createMessage_with_text_content_gets_a_2xx_and_a_readable_message()
    {
        ApiResponse<MessageObject> response = await _client.CreateMessageWithResponseAsync("thread_abc123", new CreateMessageRequest
        {
            Role = CreateMessageRequestRole.User,
            Content = "How does AI work? Explain it in simple terms.",
        });

        AssertSuccess(response);
        AssertReadable(response.Value);
    }

    [Fact]
    public async Task createMessage_with_every_part_type_attachments_and_metadata_gets_a_2xx()
    {
        ApiResponse<MessageObject> response = await _client.CreateMessageWithResponseAsync("thread_abc123", new CreateMessageRequest
        {
            Role = CreateMessageRequestRole.User,
            Content = new List<MessageContentPartInput>
            {
                new MessageContentTextInput { Text = "What is in these images?" },
                new MessageContentImageUrl { ImageUrl = new ImageUrlReference { Url = "https://example.com/a.png" } },
                new MessageContentImageFile { ImageFile = new ImageFileReference { FileId = "file_abc123", Detail = ImageFileReferenceDetail.Auto } },
            },
            Attachments = [new MessageAttachment { FileId = "file_abc123", Tools = [new FileSearchTool()] }],
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        });

        AssertSuccess(response);
        AssertReadable(response.Value);
    }

    [Fact]
    public async Task listMessages_with_every_query_parameter_gets_a_2xx_and_a_readable_page()
    {
        ApiResponse<ListMessagesResponse> response = await _client.ListMessagesWithResponseAsync(
            "thread_abc123", limit: 2, order: ListMessagesOrder.Asc, after: "msg_abc123", before: "msg_def456", runId: "run_abc123");

        AssertSuccess(response);
        // "list" in the official document's example; our fragment declares only a string.
        Assert.False(string.IsNullOrEmpty(response.Value.Object));
        Assert.All(response.Value.Data, AssertReadable);
        Assert.Equal("/threads/thread_abc123/messages?limit=2&order=asc&after=msg_abc123&before=msg_def456&run_id=run_abc123", _recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task listMessages_through_the_auto_pager_reads_every_page_prism_serves()
    {
        var listed = new List<MessageObject>();
        await foreach (MessageObject message in _client.ListMessagesAutoPagingAsync("thread_abc123", limit: 20, order: ListMessagesOrder.Desc))
        {
            listed.Add(message);
            Assert.True(listed.Count <= 100, "The pager kept going; Prism's mocked page should end it.");
        }

        Assert.All(listed, AssertReadable);
        Assert.NotEmpty(_recorder.Requests);
        Assert.All(_recorder.Requests, sent => Assert.True(sent.IsListMessages));
    }

    [Fact]
    public async Task getMessage_gets_a_2xx_and_a_readable_message()
    {
        ApiResponse<MessageObject> response = await _client.GetMessageWithResponseAsync("thread_abc123", "msg_abc123");

        AssertSuccess(response);
        AssertReadable(response.Value);
    }

    [Fact]
    public async Task modifyMessage_with_metadata_gets_a_2xx()
    {
        ApiResponse<MessageObject> response = await _client.ModifyMessageWithResponseAsync("thread_abc123", "msg_abc123", new ModifyMessageRequest
        {
            Metadata = new Dictionary<string, string> { ["modified"] = "true" },
        });

        AssertSuccess(response);
        AssertReadable(response.Value);
    }

    [Fact]
    public async Task deleteMessage_gets_a_2xx_and_a_readable_confirmation()
    {
        ApiResponse<DeleteMessageResponse> response = await _client.DeleteMessageWithResponseAsync("thread_abc123", "msg_abc123");

        AssertSuccess(response);
        Assert.Equal("thread.message.deleted", response.Value.Object);
        Assert.True(response.Value.Deleted);
    }

    [Fact]
    public async Task A_raw_message_with_an_unknown_role_gets_422_with_a_validation_error_for_the_role()
    {
        using HttpResponseMessage response = await PostRawAsync("threads/x/messages", """{"role": "robot", "content": "hi"}""");

        JsonElement problem = await AssertUnprocessableAsync(response);
        JsonElement error = Assert.Single(problem.GetProperty("validation").EnumerateArray());
        Assert.Equal(["body", "role"], error.GetProperty("location").EnumerateArray().Select(part => part.GetString()));
        Assert.Equal("enum", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_raw_message_without_content_gets_422_with_a_validation_error_naming_content()
    {
        using HttpResponseMessage response = await PostRawAsync("threads/x/messages", """{"role": "user"}""");

        JsonElement problem = await AssertUnprocessableAsync(response);
        JsonElement error = Assert.Single(problem.GetProperty("validation").EnumerateArray());
        Assert.Equal("required", error.GetProperty("code").GetString());
        Assert.Contains("content", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_the_client_lets_through_but_the_spec_forbids_comes_back_as_UnprocessableEntityException()
    {
        UnprocessableEntityException error = await Assert.ThrowsAsync<UnprocessableEntityException>(() =>
            _client.CreateMessageAsync("thread_abc123", new CreateMessageRequest { Role = "robot", Content = "beep" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Equal("createMessage", error.OperationId);
        Assert.Null(error.Error);
        Assert.Contains("role", error.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_the_bearer_key_the_spec_requires_comes_back_as_AuthenticationException()
    {
        var client = new ThreadsClient(new ApiClientOptions { BaseAddress = _prism.BaseAddress }, _http);

        AuthenticationException error = await Assert.ThrowsAsync<AuthenticationException>(() => client.GetThreadAsync("thread_abc123"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Null(_recorder.Single().Header("Authorization"));
    }

    private static void AssertSuccess(ApiResponse response) =>
        Assert.True((int)response.Status is >= 200 and < 300, $"Prism answered {(int)response.Status}.");

    /// <summary>Whatever example or schema Prism answered from, the client read a message out of it.</summary>
    private static void AssertReadable(MessageObject message)
    {
        Assert.Equal("thread.message", message.Object);
        Assert.False(string.IsNullOrEmpty(message.Id));
        Assert.False(string.IsNullOrEmpty(message.ThreadId));
        Assert.False(string.IsNullOrEmpty(message.Status.Value));
        Assert.Contains(message.Role, new[] { MessageObjectRole.User, MessageObjectRole.Assistant });
        Assert.All(message.Content, part => Assert.False(part.IsUnknown, $"Prism sent a content part the client did not recognise: {part.Value}"));
    }

    private async Task<HttpResponseMessage> PostRawAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_prism.BaseAddress, path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-prism-contract");
        request.Headers.Add("OpenAI-Beta", "assistants=v2");
        using var http = new HttpClient();
        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> AssertUnprocessableAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"Expected 422, got {(int)response.StatusCode}: {body}");
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
