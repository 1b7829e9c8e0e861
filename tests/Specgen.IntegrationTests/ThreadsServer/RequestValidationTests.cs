using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>
/// Input that breaks the spec fails in the client with an <see cref="ArgumentException"/> that names the
/// field and the limit, before anything is sent (the recording handler sees no request).
/// </summary>
public sealed class RequestValidationTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private const string ExistingThread = "thread_never_contacted";
    private const string ExistingMessage = "msg_never_contacted";

    private readonly RecordedClient _api;

    public RequestValidationTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    /// <summary>Every operation with a path parameter, called with one of them empty.</summary>
    public static TheoryData<string> OperationsWithAnEmptyPathParameter => new()
    {
        "getThread", "modifyThread", "deleteThread", "createMessage", "listMessages",
        "getMessage(thread_id)", "getMessage(message_id)", "modifyMessage(message_id)", "deleteMessage(message_id)",
    };

    [Theory]
    [MemberData(nameof(OperationsWithAnEmptyPathParameter))]
    public async Task An_empty_path_parameter_throws_ArgumentException_and_nothing_is_sent(string call)
    {
        Func<Task> send = call switch
        {
            "getThread" => () => Client.GetThreadAsync(""),
            "modifyThread" => () => Client.ModifyThreadAsync("", new ModifyThreadRequest()),
            "deleteThread" => () => Client.DeleteThreadAsync(""),
            "createMessage" => () => Client.CreateMessageAsync("", new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "hi" }),
            "listMessages" => () => Client.ListMessagesAsync(""),
            "getMessage(thread_id)" => () => Client.GetMessageAsync("", ExistingMessage),
            "getMessage(message_id)" => () => Client.GetMessageAsync(ExistingThread, ""),
            "modifyMessage(message_id)" => () => Client.ModifyMessageAsync(ExistingThread, "", new ModifyMessageRequest()),
            "deleteMessage(message_id)" => () => Client.DeleteMessageAsync(ExistingThread, ""),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
        };
        string parameter = call.Contains("message_id", StringComparison.Ordinal) ? "message_id" : "thread_id";

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(send);

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains("must not be empty", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Recorder.Requests);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task An_id_that_is_a_dot_segment_throws_ArgumentException_and_nothing_is_sent(string id)
    {
        // No escaping keeps "." or ".." in its segment: servers decode %2E and remove dot segments.
        ArgumentException thread = await Assert.ThrowsAsync<ArgumentException>(() => Client.DeleteThreadAsync(id));
        ArgumentException message = await Assert.ThrowsAsync<ArgumentException>(() => Client.DeleteMessageAsync(ExistingThread, id));

        Assert.Equal("thread_id", thread.ParamName);
        Assert.Equal("message_id", message.ParamName);
        Assert.Contains($"must not be '{id}'", message.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Recorder.Requests);
    }

    [Fact]
    public async Task An_empty_thread_id_fails_the_auto_pager_before_any_page_is_requested()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (MessageObject message in Client.ListMessagesAutoPagingAsync(""))
            {
                Assert.Fail($"No message can be listed, but {message.Id} was.");
            }
        });

        Assert.Equal("thread_id", error.ParamName);
        Assert.Empty(_api.Recorder.Requests);
    }

    /// <summary>A metadata map that breaks one limit of the spec, with the number the message must quote.</summary>
    public static TheoryData<string, int> BrokenMetadata => new()
    {
        { "17 pairs", 16 },
        { "a 65-character key", 64 },
        { "a 513-character value", 512 },
    };

    [Theory]
    [MemberData(nameof(BrokenMetadata))]
    public async Task Metadata_over_a_limit_throws_ArgumentException_naming_metadata_and_the_limit_for_every_operation_that_sends_it(string broken, int limit)
    {
        Dictionary<string, string> metadata = Metadata(broken);
        Func<Task>[] sends =
        [
            () => Client.CreateThreadAsync(new CreateThreadRequest { Metadata = metadata }),
            () => Client.ModifyThreadAsync(ExistingThread, new ModifyThreadRequest { Metadata = metadata }),
            () => Client.CreateMessageAsync(ExistingThread, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "hi", Metadata = metadata }),
            () => Client.ModifyMessageAsync(ExistingThread, ExistingMessage, new ModifyMessageRequest { Metadata = metadata }),
        ];

        foreach (Func<Task> send in sends)
        {
            ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(send);

            Assert.StartsWith("metadata", error.ParamName, StringComparison.Ordinal);
            Assert.Contains("'metadata", error.Message, StringComparison.Ordinal);
            Assert.Contains($"at most {limit}", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(_api.Recorder.Requests);
    }

    [Theory]
    [MemberData(nameof(BrokenMetadata))]
    public async Task Metadata_over_a_limit_inside_a_seed_message_names_the_message_in_the_field(string broken, int limit)
    {
        var request = new CreateThreadRequest
        {
            Messages =
            [
                new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "fine" },
                new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "not fine", Metadata = Metadata(broken) },
            ],
        };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => Client.CreateThreadAsync(request));

        Assert.StartsWith("messages[1].metadata", error.ParamName, StringComparison.Ordinal);
        Assert.Contains($"at most {limit}", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Recorder.Requests);
    }

    [Fact]
    public async Task Metadata_exactly_at_every_limit_is_sent_and_accepted_by_the_server()
    {
        var metadata = Enumerable.Range(1, 15).ToDictionary(i => $"k{i}", i => $"v{i}");
        metadata[new string('k', 64)] = new string('v', 512);

        ThreadObject thread = await Client.CreateThreadAsync(new CreateThreadRequest { Metadata = metadata });

        Assert.Equal(16, thread.Metadata!.Count);
        Assert.Equal(new string('v', 512), thread.Metadata[new string('k', 64)]);
        Assert.Single(_api.Recorder.Requests);
    }

    [Theory]
    [InlineData(0L, "at least 1")]
    [InlineData(101L, "at most 100")]
    [InlineData(-1L, "at least 1")]
    public async Task A_list_limit_outside_1_to_100_throws_ArgumentException_and_nothing_is_sent(long limit, string expected)
    {
        ArgumentException list = await Assert.ThrowsAsync<ArgumentException>(() => Client.ListMessagesAsync(ExistingThread, limit: limit));
        ArgumentException paged = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (MessageObject unused in Client.ListMessagesAutoPagingAsync(ExistingThread, limit: limit))
            {
            }
        });

        Assert.Equal("limit", list.ParamName);
        Assert.Contains(expected, list.Message, StringComparison.Ordinal);
        Assert.Equal("limit", paged.ParamName);
        Assert.Empty(_api.Recorder.Requests);
    }

    [Fact]
    public async Task An_empty_list_of_content_parts_throws_ArgumentException_for_content()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => Client.CreateMessageAsync(ExistingThread, new CreateMessageRequest
        {
            Role = CreateMessageRequestRole.User,
            Content = new List<MessageContentPartInput>(),
        }));

        Assert.Equal("content", error.ParamName);
        Assert.Contains("at least 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Recorder.Requests);
    }

    [Fact]
    public async Task More_than_one_vector_store_id_throws_ArgumentException_naming_the_nested_field()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => Client.ModifyThreadAsync(ExistingThread, new ModifyThreadRequest
        {
            ToolResources = new ThreadToolResources { FileSearch = new FileSearchResources { VectorStoreIds = ["vs_1", "vs_2"] } },
        }));

        Assert.Equal("tool_resources.file_search.vector_store_ids", error.ParamName);
        Assert.Contains("at most 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Recorder.Requests);
    }

    private static Dictionary<string, string> Metadata(string broken) => broken switch
    {
        "17 pairs" => Enumerable.Range(1, 17).ToDictionary(i => $"key{i}", i => "value"),
        "a 65-character key" => new Dictionary<string, string> { ["ok"] = "fine", [new string('k', 65)] = "value" },
        "a 513-character value" => new Dictionary<string, string> { ["ok"] = "fine", ["long"] = new string('v', 513) },
        _ => throw new ArgumentOutOfRangeException(nameof(broken), broken, null),
    };
}
