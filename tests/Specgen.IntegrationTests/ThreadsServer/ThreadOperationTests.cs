using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>createThread, getThread, modifyThread and deleteThread through the generated client.</summary>
public sealed class ThreadOperationTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public ThreadOperationTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Creating_a_thread_without_a_body_returns_an_empty_thread_stamped_with_the_current_time()
    {
        DateTimeOffset before = DateTimeOffset.UtcNow;

        ThreadObject thread = await Client.CreateThreadAsync();

        DateTimeOffset after = DateTimeOffset.UtcNow;
        Assert.StartsWith("thread_", thread.Id, StringComparison.Ordinal);
        Assert.Equal("thread", thread.Object);
        Assert.Equal(TimeSpan.Zero, thread.CreatedAt.Offset);
        Assert.InRange(thread.CreatedAt.ToUnixTimeSeconds(), before.ToUnixTimeSeconds(), after.ToUnixTimeSeconds());
        Assert.Empty(thread.Metadata!);
        Assert.NotNull(thread.ToolResources);
        Assert.Null(thread.ToolResources!.CodeInterpreter);
        Assert.Null(thread.ToolResources.FileSearch);
        Assert.Null(_api.Recorder.Single().Body);
    }

    [Fact]
    public async Task A_thread_created_with_metadata_and_messages_reads_back_the_same_through_getThread_and_listMessages()
    {
        var metadata = new Dictionary<string, string> { ["topic"] = "travel", ["city"] = "Lisboa – Alfama ☀" };

        ThreadObject created = await Client.CreateThreadAsync(new CreateThreadRequest
        {
            Metadata = metadata,
            Messages =
            [
                new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Where should I stay?" },
                new CreateMessageRequest
                {
                    Role = CreateMessageRequestRole.Assistant,
                    Content = "Alfama or Príncipe Real.",
                    Metadata = new Dictionary<string, string> { ["source"] = "seed" },
                },
            ],
        });
        ThreadObject fetched = await Client.GetThreadAsync(created.Id);
        ListMessagesResponse page = await Client.ListMessagesAsync(created.Id, order: ListMessagesOrder.Asc);

        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal(created.CreatedAt, fetched.CreatedAt);
        Assert.Equal(metadata, created.Metadata);
        Assert.Equal(metadata, fetched.Metadata);
        Assert.Equal(2, page.Data.Count);
        Assert.All(page.Data, message => Assert.Equal(created.Id, message.ThreadId));
        Assert.Equal([MessageObjectRole.User, MessageObjectRole.Assistant], page.Data.Select(message => message.Role));
        Assert.Equal(["Where should I stay?", "Alfama or Príncipe Real."], page.Data.Select(message => Assert.Single(message.Content).AsText!.Text.Value));
        Assert.Empty(page.Data[0].Metadata!);
        Assert.Equal(new Dictionary<string, string> { ["source"] = "seed" }, page.Data[1].Metadata);
    }

    [Fact]
    public async Task Tool_resources_given_at_creation_come_back_with_a_new_vector_store_for_the_helper()
    {
        ThreadObject thread = await Client.CreateThreadAsync(new CreateThreadRequest
        {
            ToolResources = new CreateThreadToolResources
            {
                CodeInterpreter = new CodeInterpreterResources { FileIds = ["file_a", "file_b"] },
                FileSearch = new CreateThreadFileSearchResources { VectorStores = [new VectorStoreHelper { FileIds = ["file_c"] }] },
            },
        });

        Assert.Equal(["file_a", "file_b"], thread.ToolResources!.CodeInterpreter!.FileIds!);
        string vectorStoreId = Assert.Single(thread.ToolResources.FileSearch!.VectorStoreIds!);
        Assert.StartsWith("vs_", vectorStoreId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Modifying_a_thread_replaces_its_metadata_and_tool_resources_and_getThread_sees_the_change()
    {
        ThreadObject thread = await _api.NewThreadAsync(new Dictionary<string, string> { ["stage"] = "draft", ["owner"] = "ana" });

        ThreadObject modified = await Client.ModifyThreadAsync(thread.Id, new ModifyThreadRequest
        {
            Metadata = new Dictionary<string, string> { ["stage"] = "final" },
            ToolResources = new ThreadToolResources { FileSearch = new FileSearchResources { VectorStoreIds = ["vs_existing"] } },
        });
        ThreadObject fetched = await Client.GetThreadAsync(thread.Id);

        Assert.Equal(thread.Id, modified.Id);
        Assert.Equal(thread.CreatedAt, modified.CreatedAt);
        Assert.Equal(new Dictionary<string, string> { ["stage"] = "final" }, modified.Metadata);
        Assert.Equal(["vs_existing"], modified.ToolResources!.FileSearch!.VectorStoreIds!);
        Assert.Equal(modified.Metadata, fetched.Metadata);
        Assert.Equal(["vs_existing"], fetched.ToolResources!.FileSearch!.VectorStoreIds!);
    }

    [Fact]
    public async Task Modifying_a_thread_with_an_empty_body_changes_nothing()
    {
        ThreadObject thread = await _api.NewThreadAsync(new Dictionary<string, string> { ["keep"] = "me" });

        ThreadObject modified = await Client.ModifyThreadAsync(thread.Id, new ModifyThreadRequest());

        Assert.Equal("{}", _api.Recorder.Single().Body);
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "me" }, modified.Metadata);
    }

    [Fact]
    public async Task Modifying_a_thread_with_metadata_set_to_null_sends_the_null_and_clears_it()
    {
        ThreadObject thread = await _api.NewThreadAsync(new Dictionary<string, string> { ["stage"] = "draft" });

        ThreadObject modified = await Client.ModifyThreadAsync(thread.Id, new ModifyThreadRequest { Metadata = null });

        Assert.Equal("""{"metadata":null}""", _api.Recorder.Single().Body);
        Assert.Empty(modified.Metadata!);
    }

    [Fact]
    public async Task A_request_read_from_JSON_writes_back_its_explicit_nulls_and_nothing_it_did_not_have()
    {
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ModifyThreadRequest>)ThreadsClientJsonTypeInfoResolver.Options.GetTypeInfo(typeof(ModifyThreadRequest));
        const string json = """{"metadata":null}""";

        ModifyThreadRequest read = System.Text.Json.JsonSerializer.Deserialize(json, typeInfo)!;
        ModifyThreadRequest empty = System.Text.Json.JsonSerializer.Deserialize("{}", typeInfo)!;

        Assert.Null(read.Metadata);
        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(read, typeInfo));
        Assert.Equal("{}", System.Text.Json.JsonSerializer.Serialize(empty, typeInfo));
    }

    [Fact]
    public async Task Deleting_a_thread_confirms_it_and_the_thread_is_then_not_found()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        DeleteThreadResponse deleted = await Client.DeleteThreadAsync(thread.Id);
        NotFoundException gone = await Assert.ThrowsAsync<NotFoundException>(() => Client.GetThreadAsync(thread.Id));

        Assert.Equal(thread.Id, deleted.Id);
        Assert.True(deleted.Deleted);
        Assert.Equal("thread.deleted", deleted.Object);
        Assert.Equal($"No thread found with id '{thread.Id}'.", gone.Error!.Message);
    }
}
