using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Specgen.Conformance.Tests.Outcomes;
using Specgen.Conformance.Tests.Values;
using Specgen.Generator.Model;
using Specgen.Generator.Tests;
using Specgen.Runtime;

namespace Specgen.Conformance.Tests.Sweep;

/// <summary>
/// Calls one generated method with arguments built from the document and says how the call
/// ended (see <see cref="Outcome"/>). The JSON method's raw-response twin
/// (<c>…WithResponseAsync</c>) is called, so the status is known; an operation that only streams
/// has its <c>…StreamingAsync</c> read to its first event (or its end).
/// </summary>
internal sealed class OperationCaller(string document, SpecTree tree, GeneratedAssembly generated, TimeSpan bound)
{
    private static readonly MethodInfo ReadFirstEventOfMethod = typeof(OperationCaller).GetMethod(nameof(ReadFirstEventOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly ClrValues _clr = new(generated);

    public async Task<CallRecord> CallAsync(object client, OperationModel operation)
    {
        var stopwatch = Stopwatch.StartNew();
        MethodInfo? method = client.GetType().GetMethod(operation.Name + "WithResponseAsync") ?? client.GetType().GetMethod(operation.Name + "StreamingAsync");
        if (method is null)
        {
            return Failed(operation, "(none)", new Finding(Outcome.NotBuilt, null, $"the client has neither {operation.Name}WithResponseAsync nor {operation.Name}StreamingAsync"), stopwatch);
        }

        using var cancellation = new CancellationTokenSource(bound);
        object?[] arguments;
        try
        {
            arguments = Arguments(method, operation, new ValueSampler(tree), cancellation.Token);
        }
        catch (NoValueException ex)
        {
            return Failed(operation, method.Name, new Finding(Outcome.NotBuilt, null, ex.Message), stopwatch);
        }
        catch (Exception ex)
        {
            // A fault of the sweep itself: recorded against this call (no cause explains it), and the sweep goes on.
            return Failed(operation, method.Name, new Finding(Outcome.NotBuilt, null, $"the sweep failed to build the arguments: {ex}", ex.GetType().Name), stopwatch);
        }

        object? started;
        try
        {
            started = method.Invoke(client, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is { } thrown)
        {
            // The generated method checks its arguments and builds the request before it returns a task.
            return Failed(operation, method.Name, new Finding(Outcome.NotBuilt, null, $"{method.Name} threw before sending: {thrown.GetType().Name}: {thrown.Message}", thrown.GetType().Name), stopwatch);
        }

        try
        {
            int status = started is Task task
                ? await ReadResponseAsync(task)
                : await ReadFirstEventAsync(started!, cancellation.Token);
            return CallRecord.Accepted(document, operation.OperationId, method.Name, status, stopwatch.Elapsed);
        }
        catch (Exception ex)
        {
            string? received = ex is InvalidResponseException { RawBody: { } body } ? body.Substring(0, Math.Min(body.Length, 4000)) : null;
            return Failed(operation, method.Name, Classify(ex, cancellation.IsCancellationRequested), stopwatch) with { Received = received };
        }
    }

    /// <summary>The arguments in order: required ones always, optional parameters when the document gives them a value, the body always.</summary>
    private object?[] Arguments(MethodInfo method, OperationModel operation, ValueSampler sampler, CancellationToken cancellationToken)
    {
        var spec = new OperationSpec(tree, operation.PathTemplate, operation.HttpMethod);
        ParameterInfo[] parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            ParameterInfo parameter = parameters[i];
            arguments[i] = parameter.Name switch
            {
                "cancellationToken" => cancellationToken,
                "options" => null,
                "body" when operation.Body is { } body => Value("body", parameter.ParameterType, sampler, spec.Body(MediaTypeOf(body))),
                _ => ParameterValue(parameter, operation, spec, sampler),
            };
        }

        return arguments;
    }

    private object? ParameterValue(ParameterInfo parameter, OperationModel operation, OperationSpec spec, ValueSampler sampler)
    {
        // The model spells a C# keyword as written in code (`@namespace`); reflection gives the bare name.
        ParameterModel model = operation.Parameters.FirstOrDefault(p => p.Name.TrimStart('@') == parameter.Name)
            ?? throw new NoValueException($"the argument '{parameter.Name}' of {operation.Name} is no parameter of the client model");
        string location = model.In.ToString().ToLowerInvariant();
        if (!model.Required && !spec.ParameterIsDocumented(model.JsonName, location))
        {
            return null;
        }

        return Value(model.JsonName, parameter.ParameterType, sampler, spec.Parameter(model.JsonName, location));
    }

    private object? Value(string name, Type type, ValueSampler sampler, ValueSource source)
    {
        try
        {
            return _clr.Convert(sampler.Sample(source.Schema, source.Example), type);
        }
        catch (GeneratedTypeRefusedException)
        {
            // Its message names the generated type, which is what a cause goes by.
            throw;
        }
        catch (NoValueException ex)
        {
            throw new NoValueException($"{name}: {ex.Message}");
        }
    }

    /// <summary>Which of the body's media types the client sends, by the kind the generator chose (the first of that kind, as it does).</summary>
    private static Func<string, bool> MediaTypeOf(BodyModel body)
    {
        static string Bare(string type) => type.Split(';')[0].Trim().ToLowerInvariant();
        return body.Kind switch
        {
            ContentKind.Json => type => Bare(type) == "application/json" || Bare(type).EndsWith("+json", StringComparison.Ordinal),
            ContentKind.Form => type => Bare(type) == "application/x-www-form-urlencoded",
            ContentKind.Multipart => type => Bare(type) == "multipart/form-data",
            _ => type => Bare(type) == Bare(body.ContentType ?? string.Empty),
        };
    }

    /// <summary>Awaits the call and reads what it returned; the status, when it succeeded.</summary>
    private static async Task<int> ReadResponseAsync(Task task)
    {
        await task;
        object? response = task.GetType().GetProperty("Result")?.GetValue(task);
        switch (response)
        {
            case StreamingResponse file:
                await using (file)
                {
                    await file.Body.CopyToAsync(Stream.Null);
                }

                return (int)file.Status;
            case ApiResponse typed:
                // ApiResponse<T>.Value was read when the task completed; reading it here keeps that visible.
                _ = typed.GetType().GetProperty("Value")?.GetValue(typed);
                return (int)typed.Status;
            default:
                throw new InvalidOperationException($"The call returned {response?.GetType().Name ?? "nothing"}, not an ApiResponse.");
        }
    }

    private static Task<int> ReadFirstEventAsync(object stream, CancellationToken cancellationToken)
    {
        Type events = stream.GetType().GetInterfaces().First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>));
        return (Task<int>)ReadFirstEventOfMethod.MakeGenericMethod(events.GetGenericArguments()[0]).Invoke(null, [stream, cancellationToken])!;
    }

    /// <summary>Reads the first event, or finds that the stream ends; either is a readable stream.</summary>
    private static async Task<int> ReadFirstEventOfAsync<T>(IAsyncEnumerable<T> events, CancellationToken cancellationToken)
    {
        await using IAsyncEnumerator<T> enumerator = events.GetAsyncEnumerator(cancellationToken);
        await enumerator.MoveNextAsync();
        return 200;
    }

    private CallRecord Failed(OperationModel operation, string method, Finding finding, Stopwatch stopwatch) =>
        Failed(operation, method, [finding], stopwatch);

    private CallRecord Failed(OperationModel operation, string method, IReadOnlyList<Finding> findings, Stopwatch stopwatch) =>
        CallRecord.Failed(document, operation.OperationId, method, findings, stopwatch.Elapsed);

    /// <summary>What an exception of a sent call says, as findings.</summary>
    public static IReadOnlyList<Finding> Classify(Exception exception, bool boundReached)
    {
        switch (exception)
        {
            case InvalidResponseException unreadable:
                return [new Finding(Outcome.Unreadable, (int)unreadable.Status, unreadable.Message, nameof(InvalidResponseException))];
            case ApiException refused when PrismProblem(refused.RawBody) is { } problem && (int)refused.Status >= 500:
                return [new Finding(Outcome.PrismFailed, (int)refused.Status, problem)];
            case ApiException refused:
                return Refusal(refused);
            case ApiTimeoutException timeout:
                return [new Finding(Outcome.PrismFailed, null, $"no response within {timeout.Timeout.TotalSeconds:0} s", nameof(ApiTimeoutException))];
            case ApiConnectionException connection:
                return [new Finding(Outcome.PrismFailed, null, $"the connection failed: {connection.InnerException?.Message ?? connection.Message}", nameof(ApiConnectionException))];
            case OperationCanceledException when boundReached:
                return [new Finding(Outcome.PrismFailed, null, "no complete answer within the call's bound", nameof(OperationCanceledException))];
            default:
                return [new Finding(Outcome.ClientException, null, exception.Message, exception.GetType().Name)];
        }
    }

    /// <summary>
    /// Prism's reasons for a 4xx: each violation it lists (<c>location code: message</c>) in its
    /// <c>sl-violations</c> header or, when the document declares no response for the status, in
    /// the <c>validation</c> member of its problem document; else the problem itself
    /// (<c>TYPE: title: detail</c>), else the body.
    /// </summary>
    private static IReadOnlyList<Finding> Refusal(ApiException refused)
    {
        int status = (int)refused.Status;
        JsonArray? listed = refused.Headers.TryGetValue("sl-violations", out string? header) ? TryParse(header) as JsonArray : null;
        listed ??= (TryParse(refused.RawBody) as JsonObject)?["validation"] as JsonArray;

        // Prism also checks the error body it made up against the document and lists what that
        // breaks (locations under `response`); that says nothing about the request.
        var violations = (listed ?? []).Where(v => (v?["location"] as JsonArray)?.FirstOrDefault()?.ToString() != "response").ToList();
        if (violations.Count > 0)
        {
            return violations.Select(v => new Finding(
                Outcome.Refused,
                status,
                $"{string.Join(".", (v?["location"] as JsonArray ?? []).Select(l => l?.ToString()))} {v?["code"]}: {v?["message"]}")).ToList();
        }

        string text = PrismProblem(refused.RawBody) ?? (refused.RawBody is { Length: > 0 } body ? body.Substring(0, Math.Min(body.Length, 300)) : "(no body)");
        return [new Finding(Outcome.Refused, status, text)];
    }

    /// <summary><c>TYPE: title: detail</c> of one of Prism's own problem documents (its type is under stoplight.io/prism/errors), else null.</summary>
    private static string? PrismProblem(string? body)
    {
        if (TryParse(body) is not JsonObject problem || problem["type"]?.ToString() is not { } type || !type.Contains("stoplight.io/prism/errors#", StringComparison.Ordinal))
        {
            return null;
        }

        string title = (problem["title"]?.ToString() ?? string.Empty).Split('\n')[0];
        string detail = problem["detail"]?.ToString() is { Length: > 0 } d ? ": " + d : string.Empty;
        return $"{type.Substring(type.IndexOf('#') + 1)}: {title}{detail}";
    }

    private static JsonNode? TryParse(string? text)
    {
        try
        {
            return text is { Length: > 0 } ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
