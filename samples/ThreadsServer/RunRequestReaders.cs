using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ThreadsServer;

/// <summary>
/// The run requests: <c>CreateRunRequest</c>, <c>CreateThreadAndRunRequest</c>,
/// <c>SubmitToolOutputsRunRequest</c>, <c>ModifyRunRequest</c> and the <c>include[]</c> query.
/// What a request leaves out gets the official default: model <c>gpt-4o</c> (there is no assistant
/// to take it from), instructions <c>""</c>, tools <c>[]</c>, temperature and top_p 1,
/// truncation <c>{"type": "auto", "last_messages": null}</c>, tool choice and response format
/// <c>auto</c>, parallel tool calls true, token limits null.
/// </summary>
internal static partial class RequestReaders
{
    public const string DefaultModel = "gpt-4o";

    /// <summary>The one value the API supports for <c>include[]</c>.</summary>
    public const string FileSearchResultContent = "step_details.tool_calls[*].file_search.results[*].content";

    private static readonly string[] ToolTypes = ["code_interpreter", "file_search", "function"];
    private static readonly string[] ToolChoiceModes = ["none", "auto", "required"];
    private static readonly string[] ResponseFormatTypes = ["text", "json_object", "json_schema"];
    private static readonly string[] TruncationTypes = ["auto", "last_messages"];
    private static readonly string[] Rankers = ["auto", "default_2024_08_21"];
    private static readonly string[] ReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];

    private static readonly JsonElement AutoTruncation = Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "auto");
        w.WriteNull("last_messages");
        w.WriteEndObject();
    });

    private static readonly JsonElement Auto = Build(w => w.WriteStringValue("auto"));

    /// <summary>Reads a <c>CreateRunRequest</c>.</summary>
    public static NewRun ReadCreateRun(JsonElement root)
    {
        RejectUnknownProperties(root, "",
            "assistant_id", "model", "reasoning_effort", "instructions", "additional_instructions", "additional_messages",
            "tools", "metadata", "temperature", "top_p", "stream", "max_prompt_tokens", "max_completion_tokens",
            "truncation_strategy", "tool_choice", "parallel_tool_calls", "response_format");

        // Validated, though nothing here reasons.
        if (root.TryGetProperty("reasoning_effort", out var effort) && effort.ValueKind != JsonValueKind.Null)
        {
            ReadEnum(effort, "reasoning_effort", ReasoningEfforts);
        }

        var messages = new List<NewMessage>();
        if (root.TryGetProperty("additional_messages", out var additional) && additional.ValueKind != JsonValueKind.Null)
        {
            ReadMessageList(additional, "additional_messages", messages);
        }

        var settings = ReadRunSettings(root, EmptyObject);
        if (OptionalString(root, "additional_instructions") is { Length: > 0 } extra)
        {
            settings = settings with { Instructions = settings.Instructions.Length == 0 ? extra : settings.Instructions + "\n" + extra };
        }

        return new NewRun(settings, messages, OptionalBool(root, "stream") ?? false);
    }

    /// <summary>Reads a <c>CreateThreadAndRunRequest</c>; an absent or null thread is an empty one.</summary>
    public static NewThreadAndRun ReadCreateThreadAndRun(JsonElement root)
    {
        RejectUnknownProperties(root, "",
            "assistant_id", "thread", "model", "instructions", "tools", "tool_resources", "metadata", "temperature",
            "top_p", "stream", "max_prompt_tokens", "max_completion_tokens", "truncation_strategy", "tool_choice",
            "parallel_tool_calls", "response_format");

        NewThread thread;
        if (root.TryGetProperty("thread", out var threadElement) && threadElement.ValueKind != JsonValueKind.Null)
        {
            ExpectKind(threadElement, JsonValueKind.Object, "thread", "an object");
            thread = ReadCreateThread(threadElement, "thread.");
        }
        else
        {
            thread = ReadCreateThread(null);
        }

        var toolResources = root.TryGetProperty("tool_resources", out var resources)
            ? ReadToolResources(resources, allowVectorStoreHelper: false)
            : EmptyObject;
        return new NewThreadAndRun(thread, ReadRunSettings(root, toolResources), OptionalBool(root, "stream") ?? false);
    }

    /// <summary>Reads a <c>SubmitToolOutputsRunRequest</c>: <c>{tool_outputs: [{tool_call_id, output}], stream}</c>.</summary>
    public static ToolOutputs ReadSubmitToolOutputs(JsonElement root)
    {
        RejectUnknownProperties(root, "", "tool_outputs", "stream");
        if (!root.TryGetProperty("tool_outputs", out var array))
        {
            throw ApiErrors.MissingParameter("tool_outputs");
        }

        ExpectKind(array, JsonValueKind.Array, "tool_outputs", "an array");
        var outputs = new List<(string, string)>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"tool_outputs[{index++}]";
            ExpectKind(item, JsonValueKind.Object, path, "an object");
            var callId = RequiredString(item, "tool_call_id", path);
            var output = item.TryGetProperty("output", out var outputElement) && outputElement.ValueKind != JsonValueKind.Null
                ? ExpectString(outputElement, path + ".output")
                : "";
            outputs.Add((callId, output));
        }

        return new ToolOutputs(outputs, OptionalBool(root, "stream") ?? false);
    }

    /// <summary>Reads a <c>ModifyRunRequest</c>: the new metadata, or null when absent.</summary>
    public static IReadOnlyDictionary<string, string>? ReadModifyRun(JsonElement root) => ReadModifyMessage(root);

    /// <summary>
    /// Checks <c>include[]</c> (also accepted as <c>include</c>): every value must be the one the API
    /// supports. It changes nothing here, as no run searches files.
    /// </summary>
    public static void ReadInclude(IQueryCollection query)
    {
        foreach (var name in new[] { "include[]", "include" })
        {
            foreach (var value in query[name])
            {
                if (value != FileSearchResultContent)
                {
                    throw ApiErrors.UnsupportedValue("include[]", value ?? "", FileSearchResultContent);
                }
            }
        }
    }

    /// <summary>The members createRun and createThreadAndRun share, with their defaults.</summary>
    private static RunSettings ReadRunSettings(JsonElement root, JsonElement toolResources)
    {
        if (!root.TryGetProperty("assistant_id", out var assistantElement))
        {
            throw ApiErrors.MissingParameter("assistant_id");
        }

        var assistantId = ExpectString(assistantElement, "assistant_id");
        var model = OptionalString(root, "model") ?? DefaultModel;
        var instructions = OptionalString(root, "instructions") ?? "";

        var functionNames = new List<string>();
        var tools = root.TryGetProperty("tools", out var toolsElement) && toolsElement.ValueKind != JsonValueKind.Null
            ? ReadTools(toolsElement, functionNames)
            : EmptyArray;

        var metadata = root.TryGetProperty("metadata", out var metadataElement)
            ? ReadMetadata(metadataElement, "metadata")
            : new Dictionary<string, string>();

        var temperature = OptionalNumber(root, "temperature", 0, 2) ?? 1;
        var topP = OptionalNumber(root, "top_p", 0, 1) ?? 1;
        var maxPromptTokens = OptionalInteger(root, "max_prompt_tokens", 256);
        var maxCompletionTokens = OptionalInteger(root, "max_completion_tokens", 256);

        var truncation = root.TryGetProperty("truncation_strategy", out var truncationElement) && truncationElement.ValueKind != JsonValueKind.Null
            ? ReadTruncationStrategy(truncationElement)
            : AutoTruncation;

        var (toolChoice, policy) = root.TryGetProperty("tool_choice", out var choiceElement) && choiceElement.ValueKind != JsonValueKind.Null
            ? ReadToolChoice(choiceElement, functionNames)
            : (Auto, new ToolPolicy(functionNames, "auto", null));

        var parallelToolCalls = OptionalBool(root, "parallel_tool_calls") ?? true;

        var responseFormat = root.TryGetProperty("response_format", out var formatElement) && formatElement.ValueKind != JsonValueKind.Null
            ? ReadResponseFormat(formatElement)
            : Auto;

        return new RunSettings(
            assistantId, model, instructions, tools, toolResources, temperature, topP, maxPromptTokens, maxCompletionTokens,
            truncation, toolChoice, parallelToolCalls, responseFormat, metadata, policy);
    }

    /// <summary>
    /// Tools: at most 20 of <c>{"type": "code_interpreter"}</c>, <c>{"type": "file_search",
    /// "file_search"?: {max_num_results?, ranking_options?}}</c> and <c>{"type": "function",
    /// "function": {name, description?, parameters?, strict?}}</c>, echoed with the members given
    /// (unknown members are dropped). Collects the function names.
    /// </summary>
    private static JsonElement ReadTools(JsonElement tools, List<string> functionNames)
    {
        const string param = "tools";
        ExpectKind(tools, JsonValueKind.Array, param, "an array");
        CheckMaxItems(tools, param, maxItems: 20);
        var writers = new List<Action<Utf8JsonWriter>>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"{param}[{index++}]";
            ExpectKind(tool, JsonValueKind.Object, path, "an object");
            if (!tool.TryGetProperty("type", out var typeElement))
            {
                throw ApiErrors.MissingParameter(path + ".type");
            }

            var type = ReadEnum(typeElement, path + ".type", ToolTypes);
            switch (type)
            {
                case "code_interpreter":
                    writers.Add(w => WriteTypeOnly(w, "code_interpreter"));
                    break;

                case "file_search":
                    writers.Add(ReadFileSearchTool(tool, path));
                    break;

                default:
                    writers.Add(ReadFunctionTool(tool, path, functionNames));
                    break;
            }
        }

        return Build(w =>
        {
            w.WriteStartArray();
            foreach (var write in writers)
            {
                write(w);
            }

            w.WriteEndArray();
        });
    }

    private static Action<Utf8JsonWriter> ReadFileSearchTool(JsonElement tool, string path)
    {
        if (!tool.TryGetProperty("file_search", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return w => WriteTypeOnly(w, "file_search");
        }

        var optionsPath = path + ".file_search";
        ExpectKind(options, JsonValueKind.Object, optionsPath, "an object");
        int? maxResults = null;
        if (options.TryGetProperty("max_num_results", out var maxElement))
        {
            maxResults = ReadInteger(maxElement, optionsPath + ".max_num_results", minimum: 1, maximum: 50);
        }

        string? ranker = null;
        double? threshold = null;
        if (options.TryGetProperty("ranking_options", out var ranking))
        {
            var rankingPath = optionsPath + ".ranking_options";
            ExpectKind(ranking, JsonValueKind.Object, rankingPath, "an object");
            ranker = OptionalEnum(ranking, "ranker", rankingPath, Rankers);
            if (!ranking.TryGetProperty("score_threshold", out var thresholdElement))
            {
                throw ApiErrors.MissingParameter(rankingPath + ".score_threshold");
            }

            threshold = ReadNumber(thresholdElement, rankingPath + ".score_threshold", 0, 1);
        }

        return w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "file_search");
            w.WriteStartObject("file_search");
            if (maxResults is { } max)
            {
                w.WriteNumber("max_num_results", max);
            }

            if (threshold is { } score)
            {
                w.WriteStartObject("ranking_options");
                if (ranker is not null)
                {
                    w.WriteString("ranker", ranker);
                }

                w.WriteNumber("score_threshold", score);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        };
    }

    private static Action<Utf8JsonWriter> ReadFunctionTool(JsonElement tool, string path, List<string> functionNames)
    {
        var function = RequiredObject(tool, "function", path);
        var functionPath = path + ".function";
        var name = RequiredString(function, "name", functionPath);
        CheckFunctionName(name, functionPath + ".name");
        var description = OptionalString(function, "description", functionPath + ".");
        JsonElement? parameters = null;
        if (function.TryGetProperty("parameters", out var parametersElement) && parametersElement.ValueKind != JsonValueKind.Null)
        {
            ExpectKind(parametersElement, JsonValueKind.Object, functionPath + ".parameters", "an object");
            parameters = parametersElement.Clone();
        }

        var strict = OptionalBool(function, "strict", functionPath + ".");
        if (!functionNames.Contains(name, StringComparer.Ordinal))
        {
            functionNames.Add(name);
        }

        return w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", name);
            if (description is not null)
            {
                w.WriteString("description", description);
            }

            if (parameters is { } schema)
            {
                w.WritePropertyName("parameters");
                schema.WriteTo(w);
            }

            if (strict is { } isStrict)
            {
                w.WriteBoolean("strict", isStrict);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        };
    }

    /// <summary>
    /// <c>none</c>, <c>auto</c>, <c>required</c>, or <c>{"type": "function", "function": {"name"}}</c>
    /// naming one of the run's functions, or <c>{"type": "code_interpreter" | "file_search"}</c>.
    /// </summary>
    private static (JsonElement Echo, ToolPolicy Policy) ReadToolChoice(JsonElement choice, List<string> functionNames)
    {
        const string param = "tool_choice";
        if (choice.ValueKind == JsonValueKind.String)
        {
            var mode = ReadEnum(choice, param, ToolChoiceModes);
            return (choice.Clone(), new ToolPolicy(functionNames, mode, null));
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw ApiErrors.WrongType(param, "a string or an object", choice.ValueKind);
        }

        if (!choice.TryGetProperty("type", out var typeElement))
        {
            throw ApiErrors.MissingParameter(param + ".type");
        }

        var type = ReadEnum(typeElement, param + ".type", ToolTypes);
        if (type != "function")
        {
            return (Build(w => WriteTypeOnly(w, type)), new ToolPolicy(functionNames, type, null));
        }

        var function = RequiredObject(choice, "function", param);
        var name = RequiredString(function, "name", param + ".function");
        if (!functionNames.Contains(name, StringComparer.Ordinal))
        {
            throw ApiErrors.Invalid(param + ".function.name",
                $"Invalid '{param}.function.name': the run has no function tool named '{name}'.");
        }

        var echo = Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", name);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return (echo, new ToolPolicy(functionNames, "function", name));
    }

    /// <summary><c>auto</c>, or <c>{"type": "text" | "json_object"}</c>, or <c>{"type": "json_schema", "json_schema": {name, description?, schema?, strict?}}</c>.</summary>
    private static JsonElement ReadResponseFormat(JsonElement format)
    {
        const string param = "response_format";
        if (format.ValueKind == JsonValueKind.String)
        {
            ReadEnum(format, param, ["auto"]);
            return Auto;
        }

        if (format.ValueKind != JsonValueKind.Object)
        {
            throw ApiErrors.WrongType(param, "a string or an object", format.ValueKind);
        }

        if (!format.TryGetProperty("type", out var typeElement))
        {
            throw ApiErrors.MissingParameter(param + ".type");
        }

        var type = ReadEnum(typeElement, param + ".type", ResponseFormatTypes);
        if (type != "json_schema")
        {
            return Build(w => WriteTypeOnly(w, type));
        }

        var schemaPath = param + ".json_schema";
        var jsonSchema = RequiredObject(format, "json_schema", param);
        var name = RequiredString(jsonSchema, "name", schemaPath);
        CheckFunctionName(name, schemaPath + ".name");
        var description = OptionalString(jsonSchema, "description", schemaPath + ".");
        JsonElement? schema = null;
        if (jsonSchema.TryGetProperty("schema", out var schemaElement) && schemaElement.ValueKind != JsonValueKind.Null)
        {
            ExpectKind(schemaElement, JsonValueKind.Object, schemaPath + ".schema", "an object");
            schema = schemaElement.Clone();
        }

        var strict = OptionalBool(jsonSchema, "strict", schemaPath + ".");
        return Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "json_schema");
            w.WriteStartObject("json_schema");
            w.WriteString("name", name);
            if (description is not null)
            {
                w.WriteString("description", description);
            }

            if (schema is { } value)
            {
                w.WritePropertyName("schema");
                value.WriteTo(w);
            }

            if (strict is { } isStrict)
            {
                w.WriteBoolean("strict", isStrict);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary><c>{"type": "auto" | "last_messages", "last_messages": integer &gt;= 1 | null}</c>.</summary>
    private static JsonElement ReadTruncationStrategy(JsonElement strategy)
    {
        const string param = "truncation_strategy";
        ExpectKind(strategy, JsonValueKind.Object, param, "an object");
        if (!strategy.TryGetProperty("type", out var typeElement))
        {
            throw ApiErrors.MissingParameter(param + ".type");
        }

        var type = ReadEnum(typeElement, param + ".type", TruncationTypes);
        int? lastMessages = strategy.TryGetProperty("last_messages", out var lastElement) && lastElement.ValueKind != JsonValueKind.Null
            ? ReadInteger(lastElement, param + ".last_messages", minimum: 1, maximum: int.MaxValue)
            : null;
        return Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            if (lastMessages is { } count)
            {
                w.WriteNumber("last_messages", count);
            }
            else
            {
                w.WriteNull("last_messages");
            }

            w.WriteEndObject();
        });
    }

    private static void WriteTypeOnly(Utf8JsonWriter writer, string type)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteEndObject();
    }

    private static void CheckFunctionName(string name, string param)
    {
        if (!FunctionName().IsMatch(name))
        {
            throw ApiErrors.Invalid(param,
                $"Invalid '{param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{{1,64}}$'.");
        }
    }

    private static string ExpectString(JsonElement element, string param)
    {
        ExpectKind(element, JsonValueKind.String, param, "a string");
        return element.GetString()!;
    }

    /// <summary>A string member that may be absent or null (both give null).</summary>
    private static string? OptionalString(JsonElement owner, string name, string prefix = "") =>
        owner.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? ExpectString(element, prefix + name)
            : null;

    /// <summary>A boolean member that may be absent or null (both give null).</summary>
    private static bool? OptionalBool(JsonElement owner, string name, string prefix = "")
    {
        if (!owner.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ApiErrors.WrongType(prefix + name, "a boolean", element.ValueKind),
        };
    }

    private static double? OptionalNumber(JsonElement owner, string name, double minimum, double maximum) =>
        owner.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? ReadNumber(element, name, minimum, maximum)
            : null;

    private static double ReadNumber(JsonElement element, string param, double minimum, double maximum)
    {
        ExpectKind(element, JsonValueKind.Number, param, "a number");
        var value = element.GetDouble();
        if (value < minimum)
        {
            throw ApiErrors.Invalid(param,
                $"Invalid '{param}': decimal below minimum value. Expected a value >= {Format(minimum)}, but got {element.GetRawText()} instead.");
        }

        if (value > maximum)
        {
            throw ApiErrors.Invalid(param,
                $"Invalid '{param}': decimal above maximum value. Expected a value <= {Format(maximum)}, but got {element.GetRawText()} instead.");
        }

        return value;
    }

    private static int? OptionalInteger(JsonElement owner, string name, int minimum) =>
        owner.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? ReadInteger(element, name, minimum, int.MaxValue)
            : null;

    private static int ReadInteger(JsonElement element, string param, int minimum, int maximum)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            throw element.ValueKind == JsonValueKind.Number
                ? ApiErrors.Invalid(param, $"Invalid '{param}': expected an integer, but got {element.GetRawText()} instead.")
                : ApiErrors.WrongType(param, "an integer", element.ValueKind);
        }

        if (value < minimum)
        {
            throw ApiErrors.Invalid(param,
                $"Invalid '{param}': integer below minimum value. Expected a value >= {minimum}, but got {value} instead.");
        }

        if (value > maximum)
        {
            throw ApiErrors.Invalid(param,
                $"Invalid '{param}': integer above maximum value. Expected a value <= {maximum}, but got {value} instead.");
        }

        return (int)value;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();
}
