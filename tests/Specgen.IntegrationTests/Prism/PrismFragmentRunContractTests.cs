using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;
using Xunit.Abstractions;

namespace Specgen.IntegrationTests.Prism;

/// <summary>
/// createRun and createThreadAndRun bodies against Prism mocking our fragment, which Prism does
/// validate (it does not validate these two bodies against the official document; see
/// <see cref="FragmentPrismFixture"/>). A 2xx means the generated client wrote what its spec says;
/// the fragment itself is held to the official document by the conformance test.
/// </summary>
[Collection(FragmentPrismCollection.Name)]
public sealed class PrismFragmentRunContractTests : PrismContractTestBase
{
    public PrismFragmentRunContractTests(FragmentPrismFixture prism, ITestOutputHelper output)
        : base(prism, output)
    {
    }

    [Fact]
    public void This_Prism_mocks_our_fragment()
    {
        Assert.Equal(RepositoryPaths.ThreadsFragment, Fixture.SpecPath);
    }

    [Fact]
    public async Task createRun_with_every_member_of_the_body_gets_a_2xx()
    {
        using JsonDocument schema = JsonDocument.Parse("""{"type": "object", "properties": {"answer": {"type": "string"}}}""");

        ApiResponse<RunObject> response = await Client.CreateRunWithResponseAsync("thread_abc123", new CreateRunRequest
        {
            AssistantId = "asst_abc123",
            Model = "gpt-4o",
            ReasoningEffort = ReasoningEffort.Medium,
            Instructions = "Be brief.",
            AdditionalInstructions = "Answer in English.",
            AdditionalMessages =
            [
                new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hello" },
                new CreateMessageRequest
                {
                    Role = CreateMessageRequestRole.Assistant,
                    Content = new List<MessageContentPartInput> { new MessageContentTextInput { Text = "Hi." } },
                    Metadata = new Dictionary<string, string> { ["seed"] = "1" },
                },
            ],
            Tools = [new CodeInterpreterTool(), new AssistantFileSearchTool(), RunSupport.Function("get_weather")],
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
            Temperature = 0.2,
            TopP = 0.9,
            MaxPromptTokens = 256,
            MaxCompletionTokens = 300,
            TruncationStrategy = new TruncationStrategy { Type = TruncationStrategyType.LastMessages, LastMessages = 5 },
            ToolChoice = new NamedToolChoice { Type = NamedToolChoiceType.Function, Function = new NamedFunction { Name = "get_weather" } },
            ParallelToolCalls = false,
            ResponseFormat = new ResponseFormatJsonSchema { JsonSchema = new JsonSchemaFormat { Name = "answer", Schema = schema.RootElement.Clone(), Strict = true } },
        }, include: ["step_details.tool_calls[*].file_search.results[*].content"]);

        Assert.True((int)response.Status is >= 200 and < 300, $"Prism answered {(int)response.Status}.");
        Assert.Equal("thread.run", response.Value.Object);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("none")]
    [InlineData("required")]
    public async Task createThreadAndRun_with_a_thread_resources_and_each_tool_choice_mode_gets_a_2xx(string mode)
    {
        ApiResponse<RunObject> response = await Client.CreateThreadAndRunWithResponseAsync(new CreateThreadAndRunRequest
        {
            AssistantId = "asst_abc123",
            Thread = new CreateThreadRequest
            {
                Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Explain deep learning to a 5 year old." }],
                Metadata = new Dictionary<string, string> { ["topic"] = "ai" },
            },
            Model = "gpt-4o-mini",
            Instructions = "You are a helpful assistant.",
            Tools = [RunSupport.Function("get_weather")],
            ToolResources = new RunToolResources
            {
                CodeInterpreter = new CodeInterpreterResources { FileIds = ["file_abc123"] },
                FileSearch = new FileSearchResources { VectorStoreIds = ["vs_abc123"] },
            },
            Metadata = new Dictionary<string, string> { ["run"] = "1" },
            Temperature = 1,
            TopP = 1,
            TruncationStrategy = new TruncationStrategy { Type = TruncationStrategyType.Auto },
            ToolChoice = new ToolChoiceMode(mode),
            ResponseFormat = new ResponseFormatText(),
        });

        Assert.True((int)response.Status is >= 200 and < 300, $"Prism answered {(int)response.Status}.");
        Assert.Equal("thread.run", response.Value.Object);
    }

    [Fact]
    public async Task A_raw_run_without_assistant_id_gets_422_with_a_validation_error_naming_it()
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Post, "threads/thread_abc123/runs", """{"instructions": "Hi"}""");

        JsonElement problem = await AssertUnprocessableAsync(response);
        JsonElement error = Assert.Single(problem.GetProperty("validation").EnumerateArray());
        Assert.Equal("required", error.GetProperty("code").GetString());
        Assert.Contains("assistant_id", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_raw_thread_and_run_with_a_temperature_theClient_refuses_gets_422_locating_it()
    {
        using HttpResponseMessage response = await SendRawAsync(HttpMethod.Post, "threads/runs", """{"assistant_id": "asst_abc123", "temperature": 2.5}""");

        JsonElement problem = await AssertUnprocessableAsync(response);
        // The fragment says "a number up to 2, or null": Prism reports each way it failed, all at body.temperature.
        JsonElement[] errors = problem.GetProperty("validation").EnumerateArray().ToArray();
        Assert.All(errors, error => Assert.Equal(["body", "temperature"], error.GetProperty("location").EnumerateArray().Select(part => part.GetString())));
        Assert.Contains(errors, error => error.GetProperty("code").GetString() == "maximum");
        await Assert.ThrowsAsync<ArgumentException>(() => Client.CreateThreadAndRunAsync(new CreateThreadAndRunRequest { AssistantId = "asst_abc123", Temperature = 2.5 }));
        Assert.Empty(Recorder.Requests);
    }
}
