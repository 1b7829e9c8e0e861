using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
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
public sealed class PrismContractTests : PrismContractTestBase
{
    public PrismContractTests(PrismFixture prism, ITestOutputHelper output)
        : base(prism, output)
    {
    }

    [Fact]
    public void Prism_mocks_the_official_document_when_it_is_next_to_the_repository_and_our_fragment_otherwise()
    {
        string expected = Environment.GetEnvironmentVariable(RepositoryPaths.PrismSpecVariable) is { Length: > 0 } overridden ? Path.GetFullPath(overridden)
            : File.Exists(RepositoryPaths.OfficialOpenAiDocument) ? RepositoryPaths.OfficialOpenAiDocument
            : RepositoryPaths.ThreadsFragment;

        Assert.Equal(expected, Fixture.SpecPath);
        Assert.Equal("/", Fixture.BaseAddress.AbsolutePath);
    }

    [Fact]
    public async Task createThread_with_messages_parts_attachments_tool_resources_and_metadata_gets_a_2xx()
    {
        ApiResponse<ThreadObject> response = await Client.CreateThreadWithResponseAsync(new CreateThreadRequest
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
        ApiResponse<ThreadObject> response = await Client.CreateThreadWithResponseAsync();

        AssertSuccess(response);
        Assert.Null(Recorder.Single().Body);
        Assert.Equal("thread", response.Value.Object);
    }

    [Fact]
    public async Task getThread_gets_a_2xx_and_a_readable_thread()
    {
        ApiResponse<ThreadObject> response = await Client.GetThreadWithResponseAsync("thread_abc123");

        AssertSuccess(response);
        Assert.Equal("thread", response.Value.Object);
        Assert.Equal("/threads/thread_abc123", Recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task modifyThread_with_tool_resources_and_metadata_gets_a_2xx()
    {
        ApiResponse<ThreadObject> response = await Client.ModifyThreadWithResponseAsync("thread_abc123", new ModifyThreadRequest
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
        ApiResponse<DeleteThreadResponse> response = await Client.DeleteThreadWithResponseAsync("thread_abc123");

        AssertSuccess(response);
        Assert.Equal("thread.deleted", response.Value.Object);
        Assert.True(response.Value.Deleted);
    }

    [Fact]
    public async Task createMessage_with_text_content_gets_a_2xx_and_a_readable_message()
    {
        ApiResponse<MessageObject> response = await Client.CreateMessageWithResponseAsync("thread_abc123", new CreateMessageRequest
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
        ApiResponse<MessageObject> response = await Client.CreateMessageWithResponseAsync("thread_abc123", new CreateMessageRequest
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
        ApiResponse<ListMessagesResponse> response = await Client.ListMessagesWithResponseAsync(
            "thread_abc123", limit: 2, order: ListMessagesOrder.Asc, after: "msg_abc123", before: "msg_def456", runId: "run_abc123");

        AssertSuccess(response);
        // "list" in the official document's example; our fragment declares only a string.
        Assert.False(string.IsNullOrEmpty(response.Value.Object));
        Assert.All(response.Value.Data, AssertReadable);
        Assert.Equal("/threads/thread_abc123/messages?limit=2&order=asc&after=msg_abc123&before=msg_def456&run_id=run_abc123", Recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task listMessages_through_the_auto_pager_reads_every_page_prism_serves()
    {
        var listed = new List<MessageObject>();
        await foreach (MessageObject message in Client.ListMessagesAutoPagingAsync("thread_abc123", limit: 20, order: ListMessagesOrder.Desc))
        {
            listed.Add(message);
            Assert.True(listed.Count <= 100, "The pager kept going; Prism's mocked page should end it.");
        }

        Assert.All(listed, AssertReadable);
        Assert.NotEmpty(Recorder.Requests);
        Assert.All(Recorder.Requests, sent => Assert.True(sent.IsListMessages));
    }

    [Fact]
    public async Task getMessage_gets_a_2xx_and_a_readable_message()
    {
        ApiResponse<MessageObject> response = await Client.GetMessageWithResponseAsync("thread_abc123", "msg_abc123");

        AssertSuccess(response);
        AssertReadable(response.Value);
    }

    [Fact]
    public async Task modifyMessage_with_metadata_gets_a_2xx()
    {
        ApiResponse<MessageObject> response = await Client.ModifyMessageWithResponseAsync("thread_abc123", "msg_abc123", new ModifyMessageRequest
        {
            Metadata = new Dictionary<string, string> { ["modified"] = "true" },
        });

        AssertSuccess(response);
        AssertReadable(response.Value);
    }

    [Fact]
    public async Task deleteMessage_gets_a_2xx_and_a_readable_confirmation()
    {
        ApiResponse<DeleteMessageResponse> response = await Client.DeleteMessageWithResponseAsync("thread_abc123", "msg_abc123");

        AssertSuccess(response);
        Assert.Equal("thread.message.deleted", response.Value.Object);
        Assert.True(response.Value.Deleted);
    }

    [Fact]
    public async Task A_raw_message_with_an_unknown_role_gets_422_with_a_validation_error_for_the_role()
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Post, "threads/x/messages", """{"role": "robot", "content": "hi"}""");

        JsonElement problem = await AssertUnprocessableAsync(response);
        JsonElement error = Assert.Single(problem.GetProperty("validation").EnumerateArray());
        Assert.Equal(["body", "role"], error.GetProperty("location").EnumerateArray().Select(part => part.GetString()));
        Assert.Equal("enum", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_raw_message_without_content_gets_422_with_a_validation_error_naming_content()
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Post, "threads/x/messages", """{"role": "user"}""");

        JsonElement problem = await AssertUnprocessableAsync(response);
        JsonElement error = Assert.Single(problem.GetProperty("validation").EnumerateArray());
        Assert.Equal("required", error.GetProperty("code").GetString());
        Assert.Contains("content", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_theClient_lets_through_but_the_spec_forbids_comes_back_as_UnprocessableEntityException()
    {
        UnprocessableEntityException error = await Assert.ThrowsAsync<UnprocessableEntityException>(() =>
            Client.CreateMessageAsync("thread_abc123", new CreateMessageRequest { Role = "robot", Content = "beep" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Equal("createMessage", error.OperationId);
        Assert.Null(error.Error);
        Assert.Contains("role", error.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_without_the_bearer_key_the_spec_requires_is_not_sent_and_names_the_scheme_and_setting()
    {
        var client = ClientWithoutKey();

        MissingCredentialException error = await Assert.ThrowsAsync<MissingCredentialException>(() => client.GetThreadAsync("thread_abc123"));

        Assert.Equal("getThread", error.OperationId);
        Assert.Contains("'ApiKeyAuth' (HTTP bearer)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ThreadsClientCredentials.ApiKeyAuth or ApiClientOptions.ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Empty(Recorder.Requests);
    }

    [Fact]
    public async Task A_key_that_a_handler_strips_comes_back_from_Prism_as_AuthenticationException()
    {
        var client = new ThreadsClient(new ApiClientOptions { BaseAddress = Fixture.BaseAddress, ApiKey = "sk-stripped" }, new HttpClient(new StripAuthorization { InnerHandler = new SocketsHttpHandler() }));

        AuthenticationException error = await Assert.ThrowsAsync<AuthenticationException>(() => client.GetThreadAsync("thread_abc123"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
    }

    private sealed class StripAuthorization : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove("Authorization");
            return base.SendAsync(request, cancellationToken);
        }
    }

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
}
