using System;
using System.Collections.Generic;
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
/// Contract tests of the nine run operations (their JSON variants): the generated client against
/// Prism mocking the official OpenAI document (or our fragment without it). Prism checks every
/// request against the spec and answers 422 when one does not match, so a 2xx means the request is
/// what the spec asks for; its answers come from the spec's examples, which the client must read.
/// Prism lets every createRun and createThreadAndRun body through when it mocks the official
/// document, so <see cref="PrismFragmentRunContractTests"/> checks those bodies against our fragment.
/// </summary>
[Collection(PrismCollection.Name)]
public sealed class PrismRunContractTests : PrismContractTestBase
{
    private const string FileSearchContent = "step_details.tool_calls[*].file_search.results[*].content";

    public PrismRunContractTests(PrismFixture prism, ITestOutputHelper output)
        : base(prism, output)
    {
    }

    [Fact]
    public async Task createThreadAndRun_with_a_thread_tools_resources_and_every_setting_gets_a_2xx_and_a_readable_run()
    {
        using JsonDocument schema = JsonDocument.Parse("""{"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"], "additionalProperties": false}""");

        ApiResponse<RunObject> response = await Client.CreateThreadAndRunWithResponseAsync(new CreateThreadAndRunRequest
        {
            AssistantId = "asst_abc123",
            Thread = new CreateThreadRequest
            {
                Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Explain deep learning to a 5 year old." }],
                Metadata = new Dictionary<string, string> { ["topic"] = "ai" },
            },
            Model = "gpt-4o",
            Instructions = "You are a helpful assistant.",
            Tools = [new CodeInterpreterTool(), new AssistantFileSearchTool(), RunSupport.Function("get_weather")],
            ToolResources = new RunToolResources
            {
                CodeInterpreter = new CodeInterpreterResources { FileIds = ["file_abc123"] },
                FileSearch = new FileSearchResources { VectorStoreIds = ["vs_abc123"] },
            },
            Metadata = new Dictionary<string, string> { ["run"] = "1" },
            Temperature = 1,
            TopP = 1,
            MaxPromptTokens = 1000,
            MaxCompletionTokens = 1000,
            TruncationStrategy = new TruncationStrategy { Type = TruncationStrategyType.LastMessages, LastMessages = 10 },
            ToolChoice = new NamedToolChoice { Type = NamedToolChoiceType.Function, Function = new NamedFunction { Name = "get_weather" } },
            ParallelToolCalls = true,
            ResponseFormat = new ResponseFormatJsonSchema { JsonSchema = new JsonSchemaFormat { Name = "answer", Schema = schema.RootElement.Clone(), Strict = true } },
        });

        AssertSuccess(response);
        AssertReadable(response.Value);
        Assert.Equal("/threads/runs", Recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task createThreadAndRun_with_only_the_assistant_gets_a_2xx()
    {
        ApiResponse<RunObject> response = await Client.CreateThreadAndRunWithResponseAsync(new CreateThreadAndRunRequest { AssistantId = "asst_abc123" });

        AssertSuccess(response);
        AssertReadable(response.Value);
    }

    [Fact]
    public async Task createRun_with_include_additional_messages_and_settings_gets_a_2xx_and_a_readable_run()
    {
        ApiResponse<RunObject> response = await Client.CreateRunWithResponseAsync("thread_abc123", new CreateRunRequest
        {
            AssistantId = "asst_abc123",
            Model = "gpt-4o",
            ReasoningEffort = ReasoningEffort.Low,
            Instructions = "Be brief.",
            AdditionalInstructions = "Answer in English.",
            AdditionalMessages =
            [
                new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hello" },
                new CreateMessageRequest
                {
                    Role = CreateMessageRequestRole.User,
                    Content = new List<MessageContentPartInput> { new MessageContentTextInput { Text = "And this file:" } },
                    Attachments = [new MessageAttachment { FileId = "file_abc123", Tools = [new CodeInterpreterTool()] }],
                },
            ],
            Tools = [RunSupport.Function("get_weather")],
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
            Temperature = 0.2,
            TopP = 0.9,
            MaxPromptTokens = 256,
            MaxCompletionTokens = 256,
            TruncationStrategy = new TruncationStrategy { Type = TruncationStrategyType.Auto },
            ToolChoice = ToolChoiceMode.Required,
            ParallelToolCalls = false,
            ResponseFormat = new ResponseFormatJsonObject(),
        }, include: [FileSearchContent]);

        AssertSuccess(response);
        AssertReadable(response.Value);
        SentRequest sent = Recorder.Single();
        Assert.Equal("/threads/thread_abc123/runs", sent.Uri.AbsolutePath);
        Assert.Equal([("include[]", FileSearchContent)], sent.QueryPairs());
    }

    [Fact]
    public async Task listRuns_with_every_query_parameter_gets_a_2xx_and_a_readable_page()
    {
        ApiResponse<ListRunsResponse> response = await Client.ListRunsWithResponseAsync("thread_abc123", limit: 2, order: ListRunsOrder.Asc, after: "run_abc123", before: "run_def456");

        AssertSuccess(response);
        Assert.False(string.IsNullOrEmpty(response.Value.Object));
        Assert.All(response.Value.Data, AssertReadable);
        Assert.Equal("/threads/thread_abc123/runs?limit=2&order=asc&after=run_abc123&before=run_def456", Recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task listRuns_through_the_auto_pager_reads_every_page_prism_serves()
    {
        var listed = new List<RunObject>();
        await foreach (RunObject run in Client.ListRunsAutoPagingAsync("thread_abc123", limit: 20, cancellationToken: Bounded()))
        {
            listed.Add(run);
            Assert.True(listed.Count <= 100, "The pager kept going; Prism's mocked page should end it.");
        }

        Assert.All(listed, AssertReadable);
        Assert.NotEmpty(Recorder.Requests);
        Assert.All(Recorder.Requests, sent => Assert.Equal("/threads/thread_abc123/runs", sent.Uri.AbsolutePath));
    }

    [Fact]
    public async Task getRun_gets_a_2xx_and_a_readable_run()
    {
        ApiResponse<RunObject> response = await Client.GetRunWithResponseAsync("thread_abc123", "run_abc123");

        AssertSuccess(response);
        AssertReadable(response.Value);
        Assert.Equal("/threads/thread_abc123/runs/run_abc123", Recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task modifyRun_with_metadata_gets_a_2xx_and_a_readable_run()
    {
        ApiResponse<RunObject> response = await Client.ModifyRunWithResponseAsync("thread_abc123", "run_abc123", new ModifyRunRequest
        {
            Metadata = new Dictionary<string, string> { ["user_id"] = "user_abc123" },
        });

        AssertSuccess(response);
        AssertReadable(response.Value);
        Assert.Equal("""{"metadata":{"user_id":"user_abc123"}}""", Recorder.Single().Body);
    }

    [Fact]
    public async Task cancelRun_gets_a_2xx_and_a_readable_run()
    {
        ApiResponse<RunObject> response = await Client.CancelRunWithResponseAsync("thread_abc123", "run_abc123");

        AssertSuccess(response);
        AssertReadable(response.Value);
        Assert.Equal("/threads/thread_abc123/runs/run_abc123/cancel", Recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task submitToolOuputsToRun_gets_a_2xx_and_a_readable_run()
    {
        ApiResponse<RunObject> response = await Client.SubmitToolOuputsToRunWithResponseAsync("thread_abc123", "run_abc123", new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = "call_001", Output = "70 degrees and sunny." }, new ToolOutput { ToolCallId = "call_002", Output = "{}" }],
        });

        AssertSuccess(response);
        AssertReadable(response.Value);
        Assert.Equal("/threads/thread_abc123/runs/run_abc123/submit_tool_outputs", Recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task listRunSteps_with_every_query_parameter_gets_a_2xx_and_readable_steps()
    {
        ApiResponse<ListRunStepsResponse> response = await Client.ListRunStepsWithResponseAsync(
            "thread_abc123", "run_abc123", limit: 2, order: ListRunStepsOrder.Desc, after: "step_abc123", before: "step_def456", include: [FileSearchContent]);

        AssertSuccess(response);
        Assert.False(string.IsNullOrEmpty(response.Value.Object));
        Assert.All(response.Value.Data, AssertReadable);
        SentRequest sent = Recorder.Single();
        Assert.Equal("/threads/thread_abc123/runs/run_abc123/steps", sent.Uri.AbsolutePath);
        Assert.Equal(
            [("limit", "2"), ("order", "desc"), ("after", "step_abc123"), ("before", "step_def456"), ("include[]", FileSearchContent)],
            sent.QueryPairs());
    }

    [Fact]
    public async Task listRunSteps_through_the_auto_pager_reads_every_page_prism_serves()
    {
        var listed = new List<RunStepObject>();
        await foreach (RunStepObject step in Client.ListRunStepsAutoPagingAsync("thread_abc123", "run_abc123", include: [FileSearchContent], cancellationToken: Bounded()))
        {
            listed.Add(step);
            Assert.True(listed.Count <= 100, "The pager kept going; Prism's mocked page should end it.");
        }

        Assert.All(listed, AssertReadable);
        Assert.NotEmpty(Recorder.Requests);
    }

    [Fact]
    public async Task getRunStep_gets_a_2xx_and_a_readable_step()
    {
        ApiResponse<RunStepObject> response = await Client.GetRunStepWithResponseAsync("thread_abc123", "run_abc123", "step_abc123", include: [FileSearchContent]);

        AssertSuccess(response);
        AssertReadable(response.Value);
        Assert.Equal("/threads/thread_abc123/runs/run_abc123/steps/step_abc123", Recorder.Single().Uri.AbsolutePath);
    }

    [Fact]
    public async Task A_raw_run_without_a_body_gets_422_saying_the_body_is_required()
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Post, "threads/thread_abc123/runs", json: null);

        await AssertUnprocessableAsync(response);
    }

    [Fact]
    public async Task A_raw_tool_output_submission_without_tool_outputs_gets_422_naming_them()
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Post, "threads/thread_abc123/runs/run_abc123/submit_tool_outputs", """{"stream": false}""");

        JsonElement problem = await AssertUnprocessableAsync(response);
        Assert.Contains(problem.GetProperty("validation").EnumerateArray(), error => error.GetProperty("message").GetString()!.Contains("tool_outputs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_raw_run_modification_with_metadata_that_is_not_an_object_gets_422_locating_it()
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Post, "threads/thread_abc123/runs/run_abc123", """{"metadata": 5}""");

        JsonElement problem = await AssertUnprocessableAsync(response);
        Assert.Contains(problem.GetProperty("validation").EnumerateArray(), error =>
            error.GetProperty("location").EnumerateArray().Select(part => part.GetString()).SequenceEqual(["body", "metadata"]));
    }

    [Fact]
    public async Task A_raw_run_list_with_a_limit_that_is_not_a_number_and_an_unknown_order_gets_422()
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Get, "threads/thread_abc123/runs?limit=many&order=sideways", json: null);

        JsonElement problem = await AssertUnprocessableAsync(response);
        Assert.Equal(2, problem.GetProperty("validation").GetArrayLength());
    }

    private static CancellationToken Bounded() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    /// <summary>Whatever example or schema Prism answered from, the client read a run out of it.</summary>
    private static void AssertReadable(RunObject run)
    {
        Assert.Equal("thread.run", run.Object);
        Assert.False(string.IsNullOrEmpty(run.Id));
        Assert.False(string.IsNullOrEmpty(run.ThreadId));
        Assert.False(string.IsNullOrEmpty(run.AssistantId));
        Assert.False(string.IsNullOrEmpty(run.Status.Value));
        Assert.All(run.Tools, tool => Assert.False(tool.IsUnknown, $"Prism sent a tool the client did not recognise: {tool.Value}"));
        if (run.RequiredAction is { } action)
        {
            Assert.All(action.SubmitToolOutputs.ToolCalls, call => Assert.False(string.IsNullOrEmpty(call.Function.Name)));
        }
    }

    private static void AssertReadable(RunStepObject step)
    {
        Assert.Equal("thread.run.step", step.Object);
        Assert.False(string.IsNullOrEmpty(step.Id));
        Assert.False(string.IsNullOrEmpty(step.RunId));
        Assert.False(step.StepDetails.IsUnknown, $"Prism sent step details the client did not recognise: {step.StepDetails.Value}");
        Assert.Equal(step.Type.Value, step.StepDetails.IsMessageCreation ? "message_creation" : "tool_calls");
    }
}
