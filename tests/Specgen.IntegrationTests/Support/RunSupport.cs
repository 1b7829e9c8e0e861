using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;

namespace Specgen.IntegrationTests.Support;

/// <summary>What the run tests share: the assistant, function tools, bounded tokens, reading replies.</summary>
internal static class RunSupport
{
    /// <summary>Any assistant id is accepted by ThreadsServer.</summary>
    public const string AssistantId = "asst_integration";

    /// <summary>How long any one run test may take before it fails instead of hanging.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>A token that fires after <see cref="Bound"/>.</summary>
    public static CancellationToken Bounded() => new CancellationTokenSource(Bound).Token;

    /// <summary>A function tool; ThreadsServer calls it when the last user message names it.</summary>
    public static FunctionTool Function(string name)
    {
        using JsonDocument parameters = JsonDocument.Parse("""{"type": "object", "properties": {"city": {"type": "string"}}}""");
        return new FunctionTool
        {
            Function = new FunctionDefinition { Name = name, Description = $"The {name} function.", Parameters = parameters.RootElement.Clone() },
        };
    }

    /// <summary>The text parts of a message, joined by a space.</summary>
    public static string Text(MessageObject message) =>
        string.Join(" ", message.Content.Select(part => part.AsText?.Text.Value));

    /// <summary>Calls getRun (each call moves a ThreadsServer run one step) until the run has <paramref name="status"/>.</summary>
    public static async Task<RunObject> GetRunUntilAsync(this ThreadsClient client, RunObject run, RunObjectStatus status)
    {
        for (int i = 0; i < 5 && run.Status != status; i++)
        {
            run = await client.GetRunAsync(run.ThreadId, run.Id);
        }

        Assert.Equal(status, run.Status);
        return run;
    }
}
