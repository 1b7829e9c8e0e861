using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>createRun, createThreadAndRun, getRun, modifyRun and listRuns through the generated client.</summary>
public sealed class RunOperationTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public RunOperationTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task createRun_returns_a_queued_run_that_echoes_every_setting_with_the_poll_after_hint()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        DateTimeOffset before = DateTimeOffset.UtcNow;

        ApiResponse<RunObject> response = await Client.CreateRunWithResponseAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = "asst_abc123",
            Model = "gpt-4o-mini",
            Instructions = "Be brief.",
            AdditionalInstructions = "Answer in English.",
            Tools = [new CodeInterpreterTool(), RunSupport.Function("get_weather")],
            Metadata = new Dictionary<string, string> { ["purpose"] = "integration", ["city"] = "Lisboa ☀" },
            Temperature = 0.5,
            TopP = 0.25,
            MaxPromptTokens = 1000,
            MaxCompletionTokens = 500,
            TruncationStrategy = new TruncationStrategy { Type = TruncationStrategyType.LastMessages, LastMessages = 3 },
            ToolChoice = ToolChoiceMode.None,
            ParallelToolCalls = false,
            ResponseFormat = "auto",
        });

        RunObject run = response.Value;
        Assert.StartsWith("run_", run.Id, StringComparison.Ordinal);
        Assert.Equal("thread.run", run.Object);
        Assert.Equal(RunObjectStatus.Queued, run.Status);
        Assert.Equal(thread.Id, run.ThreadId);
        Assert.Equal("asst_abc123", run.AssistantId);
        Assert.Equal("gpt-4o-mini", run.Model);
        Assert.Equal("Be brief.\nAnswer in English.", run.Instructions);
        Assert.Equal(2, run.Tools.Count);
        Assert.True(run.Tools[0].IsCodeInterpreter);
        Assert.Equal("get_weather", run.Tools[1].AsFunction!.Function.Name);
        Assert.Equal("object", run.Tools[1].AsFunction!.Function.Parameters!.Value.GetProperty("type").GetString());
        Assert.Equal(new Dictionary<string, string> { ["purpose"] = "integration", ["city"] = "Lisboa ☀" }, run.Metadata);
        Assert.Equal(0.5, run.Temperature);
        Assert.Equal(0.25, run.TopP);
        Assert.Equal(1000, run.MaxPromptTokens);
        Assert.Equal(500, run.MaxCompletionTokens);
        Assert.Equal(TruncationStrategyType.LastMessages, run.TruncationStrategy!.Type);
        Assert.Equal(3, run.TruncationStrategy.LastMessages);
        Assert.Equal(ToolChoiceMode.None, run.ToolChoice!.AsMode);
        Assert.False(run.ParallelToolCalls);
        Assert.True(run.ResponseFormat!.IsAuto);
        Assert.InRange(run.CreatedAt.ToUnixTimeSeconds(), before.ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(run.CreatedAt.AddSeconds(600), run.ExpiresAt);
        Assert.Null(run.StartedAt);
        Assert.Null(run.CompletedAt);
        Assert.Null(run.CancelledAt);
        Assert.Null(run.FailedAt);
        Assert.Null(run.RequiredAction);
        Assert.Null(run.LastError);
        Assert.Null(run.IncompleteDetails);
        Assert.Null(run.Usage);

        Assert.Equal("10", response.Headers[Poller.PollAfterHeader]);
        Assert.Matches("^req_[0-9a-f]{32}$", response.RequestId);
        SentRequest sent = _api.Recorder.Single();
        Assert.Equal("POST", sent.Method);
        Assert.Equal($"/v1/threads/{thread.Id}/runs", sent.PathAndQuery);
        Assert.Equal(
            ["additional_instructions", "assistant_id", "instructions", "max_completion_tokens", "max_prompt_tokens", "metadata", "model", "parallel_tool_calls", "response_format", "temperature", "tool_choice", "tools", "top_p", "truncation_strategy"],
            sent.BodyMemberNames());
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("text")]
    [InlineData("json_object")]
    [InlineData("json_schema")]
    public async Task Every_response_format_is_sent_and_read_back_as_its_own_variant(string kind)
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        using var schema = System.Text.Json.JsonDocument.Parse("""{"type": "object", "properties": {"answer": {"type": "string"}}}""");
        ResponseFormat format = kind switch
        {
            "auto" => "auto",
            "text" => new ResponseFormatText(),
            "json_object" => new ResponseFormatJsonObject(),
            _ => new ResponseFormatJsonSchema { JsonSchema = new JsonSchemaFormat { Name = "answer", Schema = schema.RootElement.Clone(), Strict = true } },
        };

        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId, ResponseFormat = format });

        string sent = _api.Recorder.Single().Body!;
        Assert.Contains(kind == "auto" ? "\"response_format\":\"auto\"" : $"\"response_format\":{{\"type\":\"{kind}\"", sent, StringComparison.Ordinal);
        ResponseFormat echoed = run.ResponseFormat!;
        Assert.Equal([kind == "auto", kind == "text", kind == "json_object", kind == "json_schema", false], new[] { echoed.IsAuto, echoed.IsText, echoed.IsJsonObject, echoed.IsJsonSchema, echoed.IsUnknown });
        if (kind == "json_schema")
        {
            Assert.Equal("answer", echoed.AsJsonSchema!.JsonSchema.Name);
            Assert.True(echoed.AsJsonSchema.JsonSchema.Strict);
        }
    }

    [Fact]
    public async Task createRun_with_only_the_assistant_sends_only_it_and_gets_the_server_defaults()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");

        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });

        Assert.Equal("""{"assistant_id":"asst_integration"}""", _api.Recorder.Single().Body);
        Assert.Equal("gpt-4o", run.Model);
        Assert.Equal("", run.Instructions);
        Assert.Empty(run.Tools);
        Assert.Empty(run.Metadata!);
        Assert.Equal(1, run.Temperature);
        Assert.Equal(1, run.TopP);
        Assert.Null(run.MaxPromptTokens);
        Assert.Null(run.MaxCompletionTokens);
        Assert.Equal(TruncationStrategyType.Auto, run.TruncationStrategy!.Type);
        Assert.Null(run.TruncationStrategy.LastMessages);
        Assert.Equal(ToolChoiceMode.Auto, run.ToolChoice!.AsMode);
        Assert.True(run.ResponseFormat!.IsAuto);
        Assert.True(run.ParallelToolCalls);
    }

    [Fact]
    public async Task createRun_with_include_sends_the_include_array_parameter_and_an_unsupported_value_is_the_servers_BadRequestException()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        const string content = "step_details.tool_calls[*].file_search.results[*].content";

        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, include: [content]);
        SentRequest createSent = _api.Recorder.Single();
        await Client.GetRunUntilAsync(run, RunObjectStatus.Completed);
        _api.Recorder.Clear();
        BadRequestException error = await Assert.ThrowsAsync<BadRequestException>(() =>
            Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, include: ["step_details.everything"]));

        Assert.Equal(RunObjectStatus.Queued, run.Status);
        Assert.Equal([("include[]", content)], createSent.QueryPairs());
        Assert.Equal("include%5B%5D=step_details.tool_calls%5B%2A%5D.file_search.results%5B%2A%5D.content", createSent.Uri.Query.TrimStart('?'));
        Assert.Equal("include[]", error.Error!.Param);
        Assert.Equal($"Invalid value: 'step_details.everything'. Supported values are: '{content}'.", error.Error.Message);
        Assert.Equal([("include[]", "step_details.everything")], _api.Recorder.Single().QueryPairs());
    }

    [Fact]
    public async Task createRun_answers_the_last_of_its_additional_messages_which_join_the_thread_first()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("First question");

        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            AdditionalMessages =
            [
                new CreateMessageRequest { Role = CreateMessageRequestRole.Assistant, Content = "An earlier answer." },
                new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Second question" },
            ],
        });
        await Client.GetRunUntilAsync(run, RunObjectStatus.Completed);
        ListMessagesResponse messages = await Client.ListMessagesAsync(thread.Id, order: ListMessagesOrder.Asc);

        Assert.Equal(["First question", "An earlier answer.", "Second question", "You said: Second question"], messages.Data.Select(RunSupport.Text));
        Assert.Equal([null, null, null, run.Id], messages.Data.Select(message => message.RunId));
    }

    [Fact]
    public async Task getRun_moves_a_run_one_step_per_call_from_queued_to_in_progress_to_completed_and_then_leaves_it()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject created = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });

        ApiResponse<RunObject> first = await Client.GetRunWithResponseAsync(thread.Id, created.Id);
        ListMessagesResponse whileWriting = await Client.ListMessagesAsync(thread.Id, order: ListMessagesOrder.Asc);
        RunObject second = await Client.GetRunAsync(thread.Id, created.Id);
        RunObject third = await Client.GetRunAsync(thread.Id, created.Id);
        ListMessagesResponse afterwards = await Client.ListMessagesAsync(thread.Id, order: ListMessagesOrder.Asc);

        Assert.Equal(RunObjectStatus.InProgress, first.Value.Status);
        Assert.Equal("10", first.Headers[Poller.PollAfterHeader]);
        Assert.NotNull(first.Value.StartedAt);
        Assert.Null(first.Value.CompletedAt);
        Assert.Null(first.Value.Usage);
        MessageObject writing = whileWriting.Data[1];
        Assert.Equal(MessageObjectRole.Assistant, writing.Role);
        Assert.Equal(MessageObjectStatus.InProgress, writing.Status);
        Assert.Empty(writing.Content);

        Assert.Equal(RunObjectStatus.Completed, second.Status);
        Assert.Equal(first.Value.StartedAt, second.StartedAt);
        Assert.NotNull(second.CompletedAt);
        Assert.True(second.CompletedAt >= second.StartedAt);
        Assert.Null(second.ExpiresAt);
        Assert.Equal((2L, 4L, 6L), (second.Usage!.PromptTokens, second.Usage.CompletionTokens, second.Usage.TotalTokens));

        Assert.Equal(RunObjectStatus.Completed, third.Status);
        Assert.Equal(second.CompletedAt, third.CompletedAt);
        MessageObject reply = afterwards.Data[1];
        Assert.Equal(writing.Id, reply.Id);
        Assert.Equal("You said: Hello there", RunSupport.Text(reply));
        Assert.Equal(MessageObjectStatus.Completed, reply.Status);
        Assert.Equal(created.Id, reply.RunId);
        Assert.Equal(RunSupport.AssistantId, reply.AssistantId);
        Assert.Equal(2, afterwards.Data.Count);
    }

    [Fact]
    public async Task createThreadAndRun_creates_the_thread_with_its_messages_and_runs_it()
    {
        RunObject run = await Client.CreateThreadAndRunAsync(new CreateThreadAndRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Thread = new CreateThreadRequest
            {
                Messages =
                [
                    new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "What is AI?" },
                    new CreateMessageRequest
                    {
                        Role = CreateMessageRequestRole.User,
                        Content = new List<MessageContentPartInput> { new MessageContentTextInput { Text = "Explain" }, new MessageContentTextInput { Text = "simply." } },
                    },
                ],
                Metadata = new Dictionary<string, string> { ["origin"] = "thread" },
            },
            Instructions = "You are helpful.",
            ToolResources = new RunToolResources { CodeInterpreter = new CodeInterpreterResources { FileIds = ["file_abc"] } },
            Metadata = new Dictionary<string, string> { ["origin"] = "run" },
        });
        ThreadObject thread = await Client.GetThreadAsync(run.ThreadId);
        RunObject completed = await Client.GetRunUntilAsync(run, RunObjectStatus.Completed);
        ListMessagesResponse messages = await Client.ListMessagesAsync(run.ThreadId, order: ListMessagesOrder.Asc);

        Assert.Equal(RunObjectStatus.Queued, run.Status);
        Assert.Equal("You are helpful.", run.Instructions);
        Assert.Equal(new Dictionary<string, string> { ["origin"] = "run" }, run.Metadata);
        Assert.Equal("file_abc", run.AdditionalProperties["tool_resources"].GetProperty("code_interpreter").GetProperty("file_ids")[0].GetString());
        Assert.Equal(new Dictionary<string, string> { ["origin"] = "thread" }, thread.Metadata);
        Assert.Equal(["What is AI?", "Explain simply.", "You said: Explain simply."], messages.Data.Select(RunSupport.Text));
        // Prompt: "You are helpful." (3) + "What is AI?" (3) + "Explain" "simply." (2); reply: 4 words.
        Assert.Equal((8L, 4L, 12L), (completed.Usage!.PromptTokens, completed.Usage.CompletionTokens, completed.Usage.TotalTokens));
        Assert.Equal("/v1/threads/runs", _api.Recorder.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task createThreadAndRun_without_a_thread_runs_an_empty_one_that_says_nothing()
    {
        RunObject run = await Client.CreateThreadAndRunAndPollAsync(new CreateThreadAndRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded());
        ListMessagesResponse messages = await Client.ListMessagesAsync(run.ThreadId);

        Assert.Equal(RunObjectStatus.Completed, run.Status);
        Assert.Equal("You said nothing.", RunSupport.Text(Assert.Single(messages.Data)));
        Assert.Equal("""{"assistant_id":"asst_integration"}""", _api.Recorder.Requests[0].Body);
    }

    [Fact]
    public async Task modifyRun_round_trips_metadata_without_moving_the_run_and_an_empty_body_keeps_it()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Metadata = new Dictionary<string, string> { ["old"] = "1" },
        });
        var metadata = new Dictionary<string, string> { ["user"] = "u_42", ["note"] = "Olá – ✓", ["empty"] = "" };

        RunObject modified = await Client.ModifyRunAsync(thread.Id, run.Id, new ModifyRunRequest { Metadata = metadata });
        RunObject unchanged = await Client.ModifyRunAsync(thread.Id, run.Id, new ModifyRunRequest());
        RunObject fetched = await Client.GetRunAsync(thread.Id, run.Id);
        ListRunsResponse listed = await Client.ListRunsAsync(thread.Id);

        Assert.Equal(metadata, modified.Metadata);
        Assert.Equal(RunObjectStatus.Queued, modified.Status);
        Assert.Equal(run.CreatedAt, modified.CreatedAt);
        Assert.Equal(metadata, unchanged.Metadata);
        Assert.Equal(RunObjectStatus.Queued, unchanged.Status);
        Assert.Equal(metadata, fetched.Metadata);
        Assert.Equal(RunObjectStatus.InProgress, fetched.Status);
        Assert.Equal(metadata, Assert.Single(listed.Data).Metadata);
        Assert.Equal("{}", _api.Recorder.Requests[2].Body);
        Assert.Equal($"/v1/threads/{thread.Id}/runs/{run.Id}", _api.Recorder.Requests[1].PathAndQuery);
    }

    [Fact]
    public async Task modifyRun_works_on_a_finished_run_and_replaces_the_metadata_whole()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Metadata = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        }, cancellationToken: RunSupport.Bounded());

        RunObject modified = await Client.ModifyRunAsync(thread.Id, run.Id, new ModifyRunRequest { Metadata = new Dictionary<string, string> { ["c"] = "3" } });

        Assert.Equal(RunObjectStatus.Completed, modified.Status);
        Assert.Equal(new Dictionary<string, string> { ["c"] = "3" }, modified.Metadata);
        Assert.Equal(run.Usage!.TotalTokens, modified.Usage!.TotalTokens);
    }

    [Fact]
    public async Task Metadata_beyond_the_specs_limits_is_refused_by_the_client_before_anything_is_sent()
    {
        var tooMany = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", i => "v");

        ArgumentException createError = await Assert.ThrowsAsync<ArgumentException>(() =>
            Client.CreateRunAsync("thread_x", new CreateRunRequest { AssistantId = RunSupport.AssistantId, Metadata = tooMany }));
        ArgumentException modifyError = await Assert.ThrowsAsync<ArgumentException>(() =>
            Client.ModifyRunAsync("thread_x", "run_x", new ModifyRunRequest { Metadata = tooMany }));
        ArgumentException temperatureError = await Assert.ThrowsAsync<ArgumentException>(() =>
            Client.CreateRunAsync("thread_x", new CreateRunRequest { AssistantId = RunSupport.AssistantId, Temperature = 2.5 }));
        ArgumentException tokensError = await Assert.ThrowsAsync<ArgumentException>(() =>
            Client.CreateThreadAndRunAsync(new CreateThreadAndRunRequest { AssistantId = RunSupport.AssistantId, MaxCompletionTokens = 100 }));

        Assert.Contains("metadata", createError.Message, StringComparison.Ordinal);
        Assert.Contains("16", createError.Message, StringComparison.Ordinal);
        Assert.Contains("metadata", modifyError.Message, StringComparison.Ordinal);
        Assert.Contains("temperature", temperatureError.Message, StringComparison.Ordinal);
        Assert.Contains("max_completion_tokens", tokensError.Message, StringComparison.Ordinal);
        Assert.Contains("256", tokensError.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Recorder.Requests);
    }

    [Fact]
    public async Task listRuns_pages_with_limit_order_and_cursors_and_the_auto_pager_walks_every_page()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        var runs = new List<RunObject>();
        for (int i = 0; i < 3; i++)
        {
            runs.Add(await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded()));
        }

        _api.Recorder.Clear();

        ListRunsResponse firstPage = await Client.ListRunsAsync(thread.Id, limit: 2, order: ListRunsOrder.Asc);
        ListRunsResponse secondPage = await Client.ListRunsAsync(thread.Id, limit: 2, order: ListRunsOrder.Asc, after: firstPage.LastId);
        ListRunsResponse newestFirst = await Client.ListRunsAsync(thread.Id);
        ListRunsResponse beforeLast = await Client.ListRunsAsync(thread.Id, order: ListRunsOrder.Asc, before: runs[2].Id);
        _api.Recorder.Clear();
        var paged = new List<RunObject>();
        await foreach (RunObject run in Client.ListRunsAutoPagingAsync(thread.Id, limit: 1, cancellationToken: RunSupport.Bounded()))
        {
            paged.Add(run);
        }

        string[] ids = runs.Select(run => run.Id).ToArray();
        Assert.Equal("list", firstPage.Object);
        Assert.Equal(ids[..2], firstPage.Data.Select(run => run.Id));
        Assert.True(firstPage.HasMore);
        Assert.Equal(ids[0], firstPage.FirstId);
        Assert.Equal(ids[1], firstPage.LastId);
        Assert.Equal(ids[2..], secondPage.Data.Select(run => run.Id));
        Assert.False(secondPage.HasMore);
        Assert.Equal(ids.Reverse(), newestFirst.Data.Select(run => run.Id));
        Assert.All(newestFirst.Data, run => Assert.Equal(RunObjectStatus.Completed, run.Status));
        Assert.Equal(ids[..2], beforeLast.Data.Select(run => run.Id));

        Assert.Equal(ids.Reverse(), paged.Select(run => run.Id));
        Assert.Equal(
            [
                $"/v1/threads/{thread.Id}/runs?limit=1",
                $"/v1/threads/{thread.Id}/runs?limit=1&after={ids[2]}",
                $"/v1/threads/{thread.Id}/runs?limit=1&after={ids[1]}",
            ],
            _api.Recorder.Requests.Select(sent => sent.PathAndQuery));
    }

    [Fact]
    public async Task listRuns_of_a_thread_without_runs_is_an_empty_last_page()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        ListRunsResponse page = await Client.ListRunsAsync(thread.Id);
        var paged = new List<RunObject>();
        await foreach (RunObject run in Client.ListRunsAutoPagingAsync(thread.Id))
        {
            paged.Add(run);
        }

        Assert.Empty(page.Data);
        Assert.False(page.HasMore);
        Assert.Null(page.FirstId);
        Assert.Null(page.LastId);
        Assert.Empty(paged);
        Assert.Equal(2, _api.Recorder.Requests.Count);
    }
}
