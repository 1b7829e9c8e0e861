using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Specgen.Runtime;
using ThreadsConsole.OpenAI;

namespace ThreadsConsole;

/// <summary>
/// Talking to an assistant through the generated client: a streamed run whose reply is printed as
/// it arrives, then a function-tool round trip with the polling helpers, then the run's steps.
/// </summary>
public static class Conversation
{
    private const string WeatherFunction = "get_weather";

    public static async Task RunAsync(ThreadsClient client, string assistantId, TextWriter output, CancellationToken cancellationToken = default)
    {
        ThreadObject thread = await client.CreateThreadAsync(
            new CreateThreadRequest
            {
                Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hi! Which month is best for visiting Lisbon?" }],
            },
            cancellationToken: cancellationToken);
        output.WriteLine($"10. Conversation thread {thread.Id}");

        // A streamed run: the reply's text arrives in deltas, printed as they come.
        output.Write("11. Streaming a run: assistant> ");
        var eventNames = new List<string>();
        RunObject? streamed = null;
        await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest { AssistantId = assistantId }, cancellationToken: cancellationToken))
        {
            eventNames.Add(item.Event ?? "?");
            if (item.AsThreadMessageDelta is { } delta)
            {
                foreach (MessageDeltaContentPart part in delta.Data.Delta.Content ?? [])
                {
                    output.Write(part.AsText?.Text?.Value);
                }
            }
            else if (item.AsThreadRunCompleted is { } completed)
            {
                streamed = completed.Data;
            }
            else if (item.AsError is { } error)
            {
                throw new InvalidOperationException($"The stream reported an error: {error.Data.Message}");
            }
        }

        output.WriteLine();
        output.WriteLine($"    run {streamed?.Id} {streamed?.Status}; {eventNames.Count} events: {Compact(eventNames)}");

        // A function tool: the run stops at requires_action, we answer, and it completes.
        await client.CreateMessageAsync(
            thread.Id,
            new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = $"Please use {WeatherFunction} to tell me the weather in Lisbon." },
            cancellationToken: cancellationToken);
        RunObject run = await client.CreateRunAndPollAsync(
            thread.Id,
            new CreateRunRequest
            {
                AssistantId = assistantId,
                Tools = [new FunctionTool { Function = WeatherTool() }],
                ToolChoice = new NamedToolChoice { Type = NamedToolChoiceType.Function, Function = new NamedFunction { Name = WeatherFunction } },
            },
            cancellationToken: cancellationToken);
        output.WriteLine($"12. Run {run.Id} with a function tool polled to {run.Status}");
        if (run.RequiredAction is not { } action)
        {
            throw new InvalidOperationException($"Run {run.Id} ended as {run.Status} without asking for the tool.");
        }

        var outputs = new List<ToolOutput>();
        foreach (RequiredToolCall call in action.SubmitToolOutputs.ToolCalls)
        {
            string answer = call.Function.Name == WeatherFunction ? "{\"city\":\"Lisbon\",\"sky\":\"sunny\",\"celsius\":24}" : "{}";
            output.WriteLine($"    the assistant calls {call.Function.Name}({call.Function.Arguments}) -> {answer}");
            outputs.Add(new ToolOutput { ToolCallId = call.Id, Output = answer });
        }

        run = await client.SubmitToolOuputsToRunAndPollAsync(thread.Id, run.Id, new SubmitToolOutputsRequest { ToolOutputs = outputs }, cancellationToken: cancellationToken);
        output.WriteLine($"13. Submitted {outputs.Count} tool output(s); the run polled to {run.Status}");
        ListMessagesResponse latest = await client.ListMessagesAsync(thread.Id, limit: 1, order: ListMessagesOrder.Desc, cancellationToken: cancellationToken);
        foreach (MessageObject message in latest.Data)
        {
            string reply = string.Join(" ", message.Content.Select(part => part.AsText?.Text.Value));
            output.WriteLine($"    assistant> {reply.Replace("\n", "\n               ")}");
        }

        // What the run did, step by step.
        output.WriteLine($"14. Steps of run {run.Id}:");
        await foreach (RunStepObject step in client.ListRunStepsAutoPagingAsync(thread.Id, run.Id, order: ListRunStepsOrder.Asc, cancellationToken: cancellationToken))
        {
            output.WriteLine($"    {step.Id} {step.Type} {step.Status}: {Describe(step.StepDetails)}");
        }

        await client.DeleteThreadAsync(thread.Id, cancellationToken: cancellationToken);
        output.WriteLine($"15. Deleted the conversation thread {thread.Id}");
    }

    private static FunctionDefinition WeatherTool()
    {
        using JsonDocument parameters = JsonDocument.Parse("""
            {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
            """);
        return new FunctionDefinition
        {
            Name = WeatherFunction,
            Description = "The current weather in a city.",
            Parameters = parameters.RootElement.Clone(),
        };
    }

    private static string Describe(RunStepDetails details) => details switch
    {
        { AsMessageCreation: { } creation } => $"wrote message {creation.MessageCreation.MessageId}",
        { AsToolCalls: { } calls } => string.Join(", ", calls.ToolCalls.Select(call => call.AsFunction is { } function
            ? $"called {function.Function.Name} -> {function.Function.Output}"
            : "called a built-in tool")),
        _ => "(a step this client does not know)",
    };

    /// <summary><c>a, b, b, b, c</c> -> <c>a, b x3, c</c>.</summary>
    private static string Compact(List<string> names)
    {
        var parts = new List<string>();
        for (int i = 0; i < names.Count;)
        {
            int run = 1;
            while (i + run < names.Count && names[i + run] == names[i])
            {
                run++;
            }

            parts.Add(run == 1 ? names[i] : $"{names[i]} x{run}");
            i += run;
        }

        return string.Join(", ", parts);
    }
}
