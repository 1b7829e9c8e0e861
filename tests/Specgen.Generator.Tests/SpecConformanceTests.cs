using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

// The helpers below live in their own namespace so that their short names (YamlMap, Node ...)
// cannot clash with types that other tests of this project define.
namespace Specgen.Generator.Tests.Conformance;

/// <summary>
/// spec/openai-threads.yaml is written by hand from the facts of the official OpenAI document.
/// These tests keep it honest: for every thread, message, run and run step operation of
/// <see cref="ThreadOperations"/>, everything a client depends on (operation ids, parameters,
/// request and response shapes, nullability, enums, unions) must match the official document,
/// and so must every stream event. Only wording, names and constraints that the official document states in prose may
/// differ; see <see cref="SpecComparer"/>.
/// <para>
/// Allowed additions to the official document, and nothing else:
/// <list type="bullet">
/// <item>A <c>text/event-stream</c> content on the 200 response of createThreadAndRun, createRun
/// and submitToolOuputsToRun (<see cref="OperationKey.StreamsEvents"/>). The official document
/// declares only the JSON answer of these operations although the API streams server-sent events
/// when the request says <c>stream: true</c>; without the declaration a generated client could not
/// offer streaming. Its schema is not compared as part of the operation (the official operation has
/// none); instead the fragment's AssistantStreamEvent is compared, event by event, with the
/// official AssistantStreamEvent component, which lists the same events as a union of unions.</item>
/// <item><c>x-specgen-*</c> extensions (like every <c>x-*</c> keyword, they are ignored), such as
/// <c>x-specgen-polling</c> on RunObject, which the polling helpers read. Their own consistency is
/// checked by the fragment-only tests below.</item>
/// </list>
/// </para>
/// </summary>
public sealed class SpecConformanceTests
{
    /// <summary>The operations the fragment exists for, and nothing else.</summary>
    internal static readonly IReadOnlyList<OperationKey> ThreadOperations = new[]
    {
        new OperationKey("/threads", "post", "createThread"),
        new OperationKey("/threads/runs", "post", "createThreadAndRun", StreamsEvents: true),
        new OperationKey("/threads/{thread_id}", "get", "getThread"),
        new OperationKey("/threads/{thread_id}", "post", "modifyThread"),
        new OperationKey("/threads/{thread_id}", "delete", "deleteThread"),
        new OperationKey("/threads/{thread_id}/messages", "post", "createMessage"),
        new OperationKey("/threads/{thread_id}/messages", "get", "listMessages"),
        new OperationKey("/threads/{thread_id}/messages/{message_id}", "get", "getMessage"),
        new OperationKey("/threads/{thread_id}/messages/{message_id}", "post", "modifyMessage"),
        new OperationKey("/threads/{thread_id}/messages/{message_id}", "delete", "deleteMessage"),
        new OperationKey("/threads/{thread_id}/runs", "get", "listRuns"),
        new OperationKey("/threads/{thread_id}/runs", "post", "createRun", StreamsEvents: true),
        new OperationKey("/threads/{thread_id}/runs/{run_id}", "get", "getRun"),
        new OperationKey("/threads/{thread_id}/runs/{run_id}", "post", "modifyRun"),
        new OperationKey("/threads/{thread_id}/runs/{run_id}/cancel", "post", "cancelRun"),
        new OperationKey("/threads/{thread_id}/runs/{run_id}/steps", "get", "listRunSteps"),
        new OperationKey("/threads/{thread_id}/runs/{run_id}/steps/{step_id}", "get", "getRunStep"),
        // sic: the official operation id misspells "Outputs".
        new OperationKey("/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", "post", "submitToolOuputsToRun", StreamsEvents: true),
    };

    private static readonly string[] HttpMethods = { "get", "put", "post", "delete", "options", "head", "patch", "trace" };

    // The official document is 2.8 MB; load it once for all the tests that need it.
    private static readonly Lazy<OpenApiDocument> Official =
        new(() => OpenApiDocument.Load("official", RepoPaths.OfficialOpenAiDocument));

    // The fragment is loaded fresh each time, because the self-test mutates its copy.
    private static OpenApiDocument LoadFragment() => OpenApiDocument.Load("fragment", RepoPaths.ThreadsFragment);

    [Fact]
    public void Fragment_declares_exactly_the_listed_operations_and_nothing_else()
    {
        var fragment = LoadFragment();

        var declared = new List<string>();
        foreach (var (path, pathItem) in fragment.Root.Map("paths"))
        {
            foreach (var (method, operation) in (YamlMap)pathItem!)
            {
                if (HttpMethods.Contains(method))
                {
                    declared.Add($"{method.ToUpperInvariant()} {path} {((YamlMap)operation!).GetValueOrDefault("operationId")}");
                }
            }
        }

        var expected = ThreadOperations.Select(o => $"{o.Method.ToUpperInvariant()} {o.Path} {o.OperationId}");
        Assert.Equal(expected.OrderBy(s => s, StringComparer.Ordinal), declared.OrderBy(s => s, StringComparer.Ordinal));
    }

    [SharedSpecFact]
    public void Fragment_matches_the_official_document_for_every_operation_and_stream_event()
    {
        var differences = SpecComparer.Compare(Official.Value, LoadFragment(), ThreadOperations);

        Assert.True(differences.Count == 0, Describe(differences));
    }

    [SharedSpecFact]
    public void Comparer_reports_every_difference_planted_in_a_copy_of_the_fragment()
    {
        // Without this test a comparer that looked at nothing would pass the test above.
        // Each mutation below breaks one fact; all of them must come back, each on its own.
        var fragment = LoadFragment();
        YamlMap schemas = fragment.Root.Map("components").Map("schemas");
        var expected = new List<string>();

        // A required entry goes missing.
        schemas.Map("ThreadObject").List("required").Remove("tool_resources");
        expected.Add("required: 'tool_resources' only in the official document");

        // An enum value is changed.
        YamlList status = schemas.Map("MessageObject").Map("properties").Map("status").List("enum");
        status[status.IndexOf("incomplete")] = "partial";
        expected.Add("enum value \"incomplete\" only in the official document");
        expected.Add("enum value \"partial\" only in the fragment");

        // A property is renamed.
        YamlMap deleteProperties = schemas.Map("DeleteMessageResponse").Map("properties");
        deleteProperties["removed"] = deleteProperties["deleted"];
        deleteProperties.Remove("deleted");
        expected.Add("property 'deleted' only in the official document");
        expected.Add("property 'removed' only in the fragment");

        // A nullable timestamp loses its null branch.
        schemas.Map("MessageObject").Map("properties")["completed_at"] =
            new YamlMap { ["type"] = "integer", ["format"] = "unixtime" };
        expected.Add("nullability: official anyOf with a null branch, fragment not nullable");

        // The fragment writes OpenAPI 3.0's `nullable: true`, which OpenAPI 3.1 tools (Specgen) ignore.
        schemas.Map("MessageObject").Map("properties")["incomplete_at"] =
            new YamlMap { ["type"] = "integer", ["format"] = "unixtime", ["nullable"] = true };
        expected.Add(".incomplete_at: nullability: the fragment writes `nullable: true`");

        // A type changes deep inside a helper component (one the official document writes inline).
        schemas.Map("FileCitation").Map("properties").Map("file_id")["type"] = "integer";
        expected.Add("type: official string, fragment integer");

        // A union loses a variant.
        schemas.Map("ChunkingStrategy").List("oneOf").RemoveAt(1);
        expected.Add("oneOf variant type=static only in the official document");

        // A request body stops being required.
        fragment.Root.Map("paths").Map("/threads/{thread_id}").Map("post").Map("requestBody").Remove("required");
        expected.Add("request body required: official true, fragment false");

        // A query parameter loses an enum value.
        var order = fragment.Root.Map("paths").Map("/threads/{thread_id}/messages").Map("get").List("parameters")
            .Cast<YamlMap>().Single(p => Equals(p["name"], "order"));
        order.Map("schema").List("enum").Remove("asc");
        expected.Add("enum value \"asc\" only in the official document");

        // ---- runs, run steps and stream events ----

        // A run status disappears.
        schemas.Map("RunObject").Map("properties").Map("status").List("enum").Remove("expired");
        expected.Add("enum value \"expired\" only in the official document");

        // A member the official document marks with OpenAPI 3.0's `nullable: true` loses its null branch.
        schemas.Map("RunObject").Map("properties")["expires_at"] = new YamlMap { ["type"] = "integer", ["format"] = "unixtime" };
        expected.Add(".expires_at: nullability: official nullable: true (OpenAPI 3.0), fragment not nullable");

        // The same for `$ref` + `nullable: true` (response_format) and `allOf: [$ref, {nullable: true}]`
        // (truncation_strategy). RunObject has compared the same two schemas as nullable already; the
        // comparer must not take these for the pairs it has seen.
        schemas.Map("CreateThreadAndRunRequest").Map("properties")["response_format"] = new YamlMap { ["$ref"] = "#/components/schemas/ResponseFormat" };
        expected.Add("createThreadAndRun (POST /threads/runs) request body (application/json).response_format: nullability: official nullable: true (OpenAPI 3.0), fragment not nullable");
        schemas.Map("CreateThreadAndRunRequest").Map("properties")["truncation_strategy"] = new YamlMap { ["$ref"] = "#/components/schemas/TruncationStrategy" };
        expected.Add("createThreadAndRun (POST /threads/runs) request body (application/json).truncation_strategy: nullability: official nullable: true (OpenAPI 3.0), fragment not nullable");

        // The run step details union loses a variant.
        schemas.Map("RunStepDetails").List("oneOf").RemoveAt(0);
        expected.Add("oneOf variant type=message_creation only in the official document");

        // A property of a file search result goes missing.
        schemas.Map("FileSearchResult").Map("properties").Remove("score");
        expected.Add("property 'score' only in the official document");

        // The include[] query parameter stops being an array.
        var include = fragment.Root.Map("paths").Map("/threads/{thread_id}/runs/{run_id}/steps").Map("get").List("parameters")
            .Cast<YamlMap>().Single(p => Equals(p["name"], "include[]"));
        include.Map("schema")["type"] = "string";
        expected.Add("listRunSteps (GET /threads/{thread_id}/runs/{run_id}/steps) parameter query:include[]: type: official array, fragment string");

        // An event stream on an operation that does not stream.
        fragment.Root.Map("paths").Map("/threads/{thread_id}/runs/{run_id}").Map("get").Map("responses").Map("200").Map("content")["text/event-stream"] =
            new YamlMap { ["schema"] = new YamlMap { ["$ref"] = "#/components/schemas/AssistantStreamEvent" } };
        expected.Add("getRun (GET /threads/{thread_id}/runs/{run_id}) response 200 (text/event-stream): media type present: official no, fragment yes");

        // A stream event disappears, and a delta payload deep inside another changes type.
        schemas.Map(SpecComparer.StreamEventUnion).List("oneOf").Remove(
            schemas.Map(SpecComparer.StreamEventUnion).List("oneOf").Cast<YamlMap>().Single(v => Equals(v["$ref"], "#/components/schemas/ThreadRunExpiredEvent")));
        expected.Add("stream events: event 'thread.run.expired' only in the official document");
        schemas.Map("MessageDeltaContentText").Map("properties").Map("index")["type"] = "number";
        expected.Add("stream event thread.message.delta.data.delta.content[]<oneOf type=text>.index: type: official integer, fragment number");

        var differences = SpecComparer.Compare(Official.Value, fragment, ThreadOperations);

        var missing = expected.Where(e => !differences.Any(d => d.Contains(e, StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, $"Not reported: {string.Join("; ", missing)}\n{Describe(differences)}");
        Assert.True(differences.Count == expected.Count, $"Expected exactly {expected.Count} differences.\n{Describe(differences)}");
    }

    [Fact]
    public void Exactly_the_streaming_operations_declare_the_event_stream_as_one_flat_union()
    {
        // Not compared with the official document (it has no such content); this keeps the shape
        // that the generator's streaming support relies on: one component per event name, chosen
        // by the `event` member, each carrying `event` and `data` only.
        var fragment = LoadFragment();
        var problems = new List<string>();
        foreach (var operation in ThreadOperations)
        {
            var content = fragment.Root.Map("paths").Map(operation.Path).Map(operation.Method).Map("responses").Map("200").Map("content");
            object? eventStream = content.GetValueOrDefault("text/event-stream");
            if (!operation.StreamsEvents)
            {
                if (eventStream is not null)
                {
                    problems.Add($"{operation.OperationId} declares text/event-stream but does not stream");
                }

                continue;
            }

            if (eventStream is not YamlMap media || media.GetValueOrDefault("schema") is not YamlMap schema
                || schema.Count != 1 || !Equals(schema.GetValueOrDefault("$ref"), $"#/components/schemas/{SpecComparer.StreamEventUnion}"))
            {
                problems.Add($"{operation.OperationId}: the 200 response needs text/event-stream with schema $ref {SpecComparer.StreamEventUnion}");
            }
        }

        YamlMap schemas = fragment.Root.Map("components").Map("schemas");
        YamlMap union = schemas.Map(SpecComparer.StreamEventUnion);
        YamlMap discriminator = union.Map("discriminator");
        Assert.Equal("event", discriminator["propertyName"]);
        var mapping = discriminator.Map("mapping");
        var names = new List<string>();
        foreach (var variant in union.List("oneOf"))
        {
            string reference = (variant as YamlMap)?.GetValueOrDefault("$ref") as string ?? "";
            string component = reference.StartsWith("#/components/schemas/", StringComparison.Ordinal) ? reference.Substring(21) : "";
            if (component.Length == 0 || (variant as YamlMap)!.Count != 1 || schemas.GetValueOrDefault(component) is not YamlMap eventSchema)
            {
                problems.Add($"variant {SpecComparer.Canonical(variant)} is not a $ref to a component");
                continue;
            }

            var properties = eventSchema.GetValueOrDefault("properties") as YamlMap;
            var eventName = properties?.GetValueOrDefault("event") as YamlMap;
            string? name = eventName?.GetValueOrDefault("enum") is YamlList { Count: 1 } single ? single[0] as string : null;
            if (!Equals(eventSchema.GetValueOrDefault("type"), "object") || eventSchema.ContainsKey("oneOf") || eventSchema.ContainsKey("anyOf")
                || properties is null || !properties.Keys.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(new[] { "data", "event" })
                || eventSchema.GetValueOrDefault("required") is not YamlList required || !required.OrderBy(r => r as string, StringComparer.Ordinal).SequenceEqual(new object[] { "data", "event" })
                || !Equals(eventName!.GetValueOrDefault("type"), "string") || name is null)
            {
                problems.Add($"{component} is not {{type: object, required: [event, data], properties: {{event: one-value string enum, data}}}}");
                continue;
            }

            names.Add(name);
            if (!Equals(mapping.GetValueOrDefault(name), reference))
            {
                problems.Add($"discriminator mapping of '{name}' is {SpecComparer.Canonical(mapping.GetValueOrDefault(name))}, not {reference}");
            }
        }

        foreach (string duplicate in names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add($"event '{duplicate}' has more than one component");
        }

        foreach (string extra in mapping.Keys.Except(names))
        {
            problems.Add($"discriminator mapping names '{extra}', which no variant has");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains("done", names);
        Assert.Contains("error", names);
    }

    [Fact]
    public void Polling_extensions_name_a_real_status_a_real_refresh_operation_and_real_members()
    {
        // x-specgen-polling (read by the generator's polling helpers):
        //   name      the C# name of the helpers (PollRunAsync, ...AndPollAsync)
        //   status    the member whose value says whether to keep polling
        //   terminal  the values of that member at which polling stops
        //   refresh   the operation that re-reads the object, and for each of its path
        //             parameters the member of the object that supplies it
        var fragment = LoadFragment();
        YamlMap schemas = fragment.Root.Map("components").Map("schemas");
        var operations = fragment.Root.Map("paths")
            .SelectMany(path => ((YamlMap)path.Value!).Where(m => HttpMethods.Contains(m.Key))
                .Select(m => (Path: path.Key, Operation: (YamlMap)m.Value!)))
            .ToDictionary(o => (string)o.Operation["operationId"]!, StringComparer.Ordinal);

        var polled = schemas.Where(s => s.Value is YamlMap m && m.ContainsKey("x-specgen-polling")).ToList();
        Assert.Equal(new[] { "RunObject" }, polled.Select(s => s.Key));

        foreach (var (component, value) in polled)
        {
            var schema = (YamlMap)value!;
            var polling = schema.Map("x-specgen-polling");
            var properties = schema.Map("properties");
            Assert.False(string.IsNullOrEmpty(polling["name"] as string), $"{component}: name");

            var statusValues = properties.Map((string)polling["status"]!).List("enum").Cast<string>().ToList();
            var terminal = polling.List("terminal").Cast<string>().ToList();
            Assert.Empty(terminal.Except(statusValues));
            Assert.NotEmpty(statusValues.Except(terminal)); // something to wait for

            var refresh = polling.Map("refresh");
            var (path, operation) = operations[(string)refresh["operationId"]!];
            var pathParameters = System.Text.RegularExpressions.Regex.Matches(path, "{([^}]+)}").Select(m => m.Groups[1].Value);
            var mapped = refresh.Map("parameters");
            Assert.Equal(pathParameters.OrderBy(p => p, StringComparer.Ordinal), mapped.Keys.OrderBy(p => p, StringComparer.Ordinal));
            Assert.All(mapped.Values, member => Assert.True(properties.ContainsKey((string)member!), $"{component} has no member {member}"));

            var returned = operation.Map("responses").Map("200").Map("content").Map("application/json").Map("schema");
            Assert.Equal($"#/components/schemas/{component}", returned["$ref"]);
        }
    }

    [Fact]
    public void Loader_reads_block_scalars_of_only_whitespace_the_way_yaml_defines_them()
    {
        // YamlDotNet 16.3.0 rejects these (aaubry/YamlDotNet#523); the official document has one.
        // The expected values are what a conforming YAML 1.2 parser (e.g. PyYAML) produces.
        const string yaml =
            "keep: |+\n" +
            "    \n" +
            "clip: |\n" +
            "    \n" +
            "strip: >-\n" +
            "    \n" +
            "list:\n" +
            "- b: |+\n" +
            "    \n" +
            "    \n" +
            "  c: d\n" +
            "literal: |\n" +
            "  key: |+\n" +
            "     \n" +
            "  end\n" +
            "last: 1\n";

        var root = (YamlMap)YamlTree.Parse(yaml)!;

        Assert.Equal("\n", root["keep"]);
        Assert.Equal("", root["clip"]);
        Assert.Equal("", root["strip"]);
        var entry = (YamlMap)root.List("list")[0]!;
        Assert.Equal("\n\n", entry["b"]);
        Assert.Equal("d", entry["c"]);
        // Text inside another block scalar only looks like a header; it must stay untouched.
        Assert.Equal("key: |+\n   \nend\n", root["literal"]);
        Assert.Equal(1L, root["last"]);
    }

    private static string Describe(IReadOnlyList<string> differences) =>
        differences.Count == 0
            ? "No differences."
            : $"{differences.Count} difference(s) between the official document and spec/openai-threads.yaml:\n"
              + string.Join("\n", differences.Select((d, i) => $"{i + 1,3}. {d}"));
}

/// <summary>An operation of the fragment.</summary>
/// <param name="StreamsEvents">
/// The operation answers with server-sent events when asked to stream: the fragment may declare
/// a <c>text/event-stream</c> content on its 200 response that the official document lacks.
/// </param>
internal sealed record OperationKey(string Path, string Method, string OperationId, bool StreamsEvents = false);

/// <summary>
/// Compares the fragment with the official document, operation by operation and then stream
/// event by stream event, and collects every difference instead of stopping at the first.
/// <para>
/// Schemas are compared by structure: $refs are followed in both documents, so component
/// names do not matter and a shape that the official document writes inline may be a named
/// component in the fragment. Allowed to differ, and nothing else: descriptions, titles,
/// examples, x-* extensions, component names, <c>discriminator</c>, and constraint keywords
/// (<see cref="ConstraintKeywords"/>) that the fragment adds where the official document only
/// states the limit in prose. A constraint keyword the official document has must be kept.
/// </para>
/// <para>
/// Nullability is one fact however it is written, but the fragment writes it one way only:
/// <c>anyOf: [X, {type: 'null'}]</c>. The official document, although it declares OpenAPI 3.1,
/// still says <c>nullable: true</c> in many places (beside a type, beside a $ref, or as an
/// <c>allOf</c> member next to a $ref). OpenAPI 3.1 dropped that keyword, so 3.1 tools (Specgen
/// among them) would read those members as not nullable, while the API does send null there.
/// The comparer reads the official <c>nullable: true</c> as meant and requires the fragment's
/// <c>anyOf</c> form in its place; a <c>nullable</c> in the fragment is always reported.
/// </para>
/// </summary>
internal sealed class SpecComparer
{
    private static readonly HashSet<string> IgnoredKeywords = new() { "description", "title", "example", "examples", "discriminator" };

    private static readonly HashSet<string> ConstraintKeywords = new()
    {
        "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties",
        "minimum", "maximum", "pattern", "propertyNames",
    };

    /// <summary>
    /// Places where the official document contradicts what the API does, and the fragment follows
    /// the API: the official pointer and why. Only "the fragment allows null where the official
    /// document does not" is accepted here, and only at these pointers.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> KnownNullabilityCorrections = new Dictionary<string, string>
    {
        ["#/components/schemas/ListMessagesResponse/properties/first_id"] = "the API sends null when the page is empty",
        ["#/components/schemas/ListMessagesResponse/properties/last_id"] = "the API sends null when the page is empty",
        // The run and run step lists page the same way (seen for run steps in redevrx/chat_gpt_sdk#109);
        // a new thread has no runs, so listing them is the common case, not an edge case.
        ["#/components/schemas/ListRunsResponse/properties/first_id"] = "the API sends null when the page is empty",
        ["#/components/schemas/ListRunsResponse/properties/last_id"] = "the API sends null when the page is empty",
        ["#/components/schemas/ListRunStepsResponse/properties/first_id"] = "the API sends null when the page is empty",
        ["#/components/schemas/ListRunStepsResponse/properties/last_id"] = "the API sends null when the page is empty",
    };

    /// <summary>
    /// Members of the official document that are evidently slips and that the fragment leaves out:
    /// the official pointer and why. Only "a property only in the official document" is accepted
    /// here, and only at these pointers.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> KnownOfficialSlips = new Dictionary<string, string>
    {
        ["#/components/schemas/ThreadStreamEvent/oneOf/0/properties/enabled"] =
            "the thread.created event lists `enabled` (\"whether to enable input audio transcription\"), copied from "
            + "the Realtime API; an SSE event has only an event name and its data",
    };

    /// <summary>The union of all stream events, under this name in both documents.</summary>
    internal const string StreamEventUnion = "AssistantStreamEvent";

    private const string NullableKeywordForm = "nullable: true (OpenAPI 3.0)";
    private const string AnyOfNullForm = "anyOf with a null branch";

    private static bool IsKnownNullabilityCorrection(string officialPointer, string? officialNull, string? fragmentNull) =>
        officialNull is null && fragmentNull is not null && KnownNullabilityCorrections.ContainsKey(officialPointer);

    private readonly OpenApiDocument _official;
    private readonly OpenApiDocument _fragment;
    private readonly List<string> _differences = new();

    // Pairs of schema locations already compared. It stops $ref cycles, and it reports a shared
    // component (Metadata, say) once rather than once per use.
    private readonly HashSet<(string Official, string Fragment)> _comparedSchemas = new();

    private SpecComparer(OpenApiDocument official, OpenApiDocument fragment)
    {
        _official = official;
        _fragment = fragment;
    }

    public static IReadOnlyList<string> Compare(OpenApiDocument official, OpenApiDocument fragment, IEnumerable<OperationKey> operations)
    {
        var comparer = new SpecComparer(official, fragment);
        comparer.CompareDocumentSettings();
        bool streams = false;
        foreach (var operation in operations)
        {
            comparer.CompareOperation(operation);
            streams |= operation.StreamsEvents;
        }

        // One comparer for both, so that a schema shared by a response and an event (RunObject)
        // is reported once.
        if (streams)
        {
            comparer.CompareStreamEvents();
        }

        return comparer._differences;
    }

    // ---- document and operation level -------------------------------------------------------

    private void CompareDocumentSettings()
    {
        var off = _official.RootNode;
        var frag = _fragment.RootNode;
        CompareValue("document", "servers", Child(off, "servers"), Child(frag, "servers"));
        CompareValue("document", "global security", Child(off, "security"), Child(frag, "security"));

        // Only the scheme that the global security requirement names matters to the fragment.
        foreach (string scheme in SecuritySchemeNames(frag.Value))
        {
            var offScheme = Child(Child(Child(off, "components"), "securitySchemes"), scheme);
            var fragScheme = Child(Child(Child(frag, "components"), "securitySchemes"), scheme);
            CompareOtherKeywords($"security scheme {scheme}", offScheme, fragScheme, exclude: Array.Empty<string>());
        }
    }

    private static IEnumerable<string> SecuritySchemeNames(object? root) =>
        root is YamlMap map && map.GetValueOrDefault("security") is YamlList requirements
            ? requirements.OfType<YamlMap>().SelectMany(r => r.Keys).Distinct()
            : Enumerable.Empty<string>();

    private void CompareOperation(OperationKey key)
    {
        string where = $"{key.OperationId} ({key.Method.ToUpperInvariant()} {key.Path})";
        var offPathItem = Child(Child(_official.RootNode, "paths"), key.Path);
        var fragPathItem = Child(Child(_fragment.RootNode, "paths"), key.Path);
        var off = Child(offPathItem, key.Method);
        var frag = Child(fragPathItem, key.Method);
        if (off.Value is null || frag.Value is null)
        {
            Report(where, off, frag, $"operation present: official {Yes(off.Value is not null)}, fragment {Yes(frag.Value is not null)}");
            return;
        }

        CompareValue(where, "operationId", Child(off, "operationId"), Child(frag, "operationId"));
        CompareStringSet(where, "tag", Child(off, "tags"), Child(frag, "tags"));
        CompareValue(where, "operation security", Child(off, "security"), Child(frag, "security"));
        CompareParameters(where, offPathItem, off, fragPathItem, frag);
        CompareRequestBody(where, Child(off, "requestBody"), Child(frag, "requestBody"));
        CompareResponses(where, Child(off, "responses"), Child(frag, "responses"), key.StreamsEvents);
    }

    private void CompareParameters(string where, Node offPathItem, Node off, Node fragPathItem, Node frag)
    {
        var offParameters = Parameters(_official, offPathItem, off);
        var fragParameters = Parameters(_fragment, fragPathItem, frag);
        foreach (string name in offParameters.Keys.Union(fragParameters.Keys))
        {
            string at = $"{where} parameter {name}";
            bool inOff = offParameters.TryGetValue(name, out var offParameter);
            bool inFrag = fragParameters.TryGetValue(name, out var fragParameter);
            if (!inOff || !inFrag)
            {
                Report(at, offParameter, fragParameter, $"parameter present: official {Yes(inOff)}, fragment {Yes(inFrag)}");
                continue;
            }

            CompareFlag(at, "required", offParameter, fragParameter);
            CompareOtherKeywords(at, offParameter, fragParameter, exclude: new[] { "name", "in", "required", "schema", "content" });
            CompareSchemaSlot(at, Child(offParameter, "schema"), Child(fragParameter, "schema"));
            CompareContent(at, Child(offParameter, "content"), Child(fragParameter, "content"));
        }
    }

    /// <summary>Parameters of an operation keyed "in:name"; the operation's own override the path item's.</summary>
    private static Dictionary<string, Node> Parameters(OpenApiDocument document, Node pathItem, Node operation)
    {
        var result = new Dictionary<string, Node>();
        foreach (var owner in new[] { pathItem, operation })
        {
            var list = Child(owner, "parameters");
            if (list.Value is not YamlList items)
            {
                continue;
            }

            for (int i = 0; i < items.Count; i++)
            {
                var parameter = document.Resolve(new Node(items[i], $"{list.Pointer}/{i}"));
                if (parameter.Value is YamlMap map)
                {
                    result[$"{map.GetValueOrDefault("in")}:{map.GetValueOrDefault("name")}"] = parameter;
                }
            }
        }

        return result;
    }

    private void CompareRequestBody(string where, Node off, Node frag)
    {
        off = _official.Resolve(off);
        frag = _fragment.Resolve(frag);
        string at = $"{where} request body";
        if (off.Value is null || frag.Value is null)
        {
            if (off.Value is not null || frag.Value is not null)
            {
                Report(at, off, frag, $"request body present: official {Yes(off.Value is not null)}, fragment {Yes(frag.Value is not null)}");
            }

            return;
        }

        CompareFlag(at, "request body required", off, frag);
        CompareContent(at, Child(off, "content"), Child(frag, "content"));
    }

    private void CompareResponses(string where, Node off, Node frag, bool streamsEvents)
    {
        foreach (string status in Keys(off).Union(Keys(frag)))
        {
            string at = $"{where} response {status}";
            var offResponse = _official.Resolve(Child(off, status));
            var fragResponse = _fragment.Resolve(Child(frag, status));
            if (offResponse.Value is null || fragResponse.Value is null)
            {
                Report(at, offResponse, fragResponse, $"response present: official {Yes(offResponse.Value is not null)}, fragment {Yes(fragResponse.Value is not null)}");
                continue;
            }

            // The one addition to the official document: the event stream of a streaming operation.
            string? allowedExtra = streamsEvents && status == "200" ? EventStream : null;
            CompareContent(at, Child(offResponse, "content"), Child(fragResponse, "content"), allowedExtra);

            var offHeaders = Child(offResponse, "headers");
            var fragHeaders = Child(fragResponse, "headers");
            foreach (string header in Keys(offHeaders).Union(Keys(fragHeaders)))
            {
                string headerAt = $"{at} header {header}";
                var offHeader = _official.Resolve(Child(offHeaders, header));
                var fragHeader = _fragment.Resolve(Child(fragHeaders, header));
                if (offHeader.Value is null || fragHeader.Value is null)
                {
                    Report(headerAt, offHeader, fragHeader, $"header present: official {Yes(offHeader.Value is not null)}, fragment {Yes(fragHeader.Value is not null)}");
                    continue;
                }

                CompareFlag(headerAt, "required", offHeader, fragHeader);
                CompareSchemaSlot(headerAt, Child(offHeader, "schema"), Child(fragHeader, "schema"));
            }
        }
    }

    private const string EventStream = "text/event-stream";

    /// <param name="allowedExtra">
    /// A media type that the fragment may declare although the official document does not; its
    /// schema is then not compared here (see <see cref="CompareStreamEvents"/>).
    /// </param>
    private void CompareContent(string where, Node off, Node frag, string? allowedExtra = null)
    {
        foreach (string mediaType in Keys(off).Union(Keys(frag)))
        {
            string at = $"{where} ({mediaType})";
            var offMedia = Child(off, mediaType);
            var fragMedia = Child(frag, mediaType);
            if (offMedia.Value is null && fragMedia.Value is not null && mediaType == allowedExtra)
            {
                continue;
            }

            if (offMedia.Value is null || fragMedia.Value is null)
            {
                Report(at, offMedia, fragMedia, $"media type present: official {Yes(offMedia.Value is not null)}, fragment {Yes(fragMedia.Value is not null)}");
                continue;
            }

            CompareSchemaSlot(at, Child(offMedia, "schema"), Child(fragMedia, "schema"));
        }
    }

    // ---- stream events ------------------------------------------------------------------------

    /// <summary>
    /// The official AssistantStreamEvent is a union of unions (ThreadStreamEvent, RunStreamEvent,
    /// ...) whose leaves are the events; the fragment's is one flat union. Both are flattened to
    /// their leaves, keyed by event name, and each pair of events is compared like any schema
    /// (event name, data payload, required members).
    /// </summary>
    private void CompareStreamEvents()
    {
        const string where = "stream events";
        var offUnion = Child(Child(Child(_official.RootNode, "components"), "schemas"), StreamEventUnion);
        var fragUnion = Child(Child(Child(_fragment.RootNode, "components"), "schemas"), StreamEventUnion);
        var offEvents = StreamEvents(_official, offUnion, where);
        var fragEvents = StreamEvents(_fragment, fragUnion, where);
        foreach (string name in offEvents.Keys.Union(fragEvents.Keys))
        {
            bool inOff = offEvents.TryGetValue(name, out var offEvent);
            bool inFrag = fragEvents.TryGetValue(name, out var fragEvent);
            if (!inOff || !inFrag)
            {
                Report(where, inOff ? offEvent : offUnion, inFrag ? fragEvent : fragUnion, $"event '{name}' only in {(inOff ? "the official document" : "the fragment")}");
                continue;
            }

            CompareSchema($"stream event {name}", offEvent, fragEvent);
        }
    }

    /// <summary>The leaves of a (nested) event union, keyed by the single value of their `event` member.</summary>
    private Dictionary<string, Node> StreamEvents(OpenApiDocument document, Node union, string where)
    {
        var events = new Dictionary<string, Node>(StringComparer.Ordinal);
        Collect(union, depth: 0);
        return events;

        void Collect(Node node, int depth)
        {
            node = document.Resolve(node);
            var variants = Child(node, "oneOf");
            if (variants.Value is YamlList list && depth < 8)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    Collect(new Node(list[i], $"{variants.Pointer}/{i}"), depth + 1);
                }

                return;
            }

            var eventName = document.Resolve(Child(Child(node, "properties"), "event"));
            if (Child(eventName, "enum").Value is YamlList { Count: 1 } single && single[0] is string name)
            {
                if (!events.TryAdd(name, node))
                {
                    Report(where, node, node, $"event '{name}' declared twice in the {document.Name} document");
                }
            }
            else
            {
                Report(where, node, node, $"a stream event of the {document.Name} document without a single event name");
            }
        }
    }

    // ---- schemas ------------------------------------------------------------------------------

    /// <summary>A place that may hold a schema (items, a property, a parameter's schema ...).</summary>
    private void CompareSchemaSlot(string where, Node off, Node frag)
    {
        if (off.Value is null && frag.Value is null)
        {
            return;
        }

        if (off.Value is null || frag.Value is null)
        {
            Report(where, off, frag, $"schema present: official {Yes(off.Value is not null)}, fragment {Yes(frag.Value is not null)}");
            return;
        }

        CompareSchema(where, off, frag);
    }

    private void CompareSchema(string where, Node off, Node frag)
    {
        off = _official.Resolve(off);
        frag = _fragment.Resolve(frag);
        if (!_comparedSchemas.Add((off.Pointer, frag.Pointer)))
        {
            return;
        }

        // Nullability is compared as its own fact, then the non-null part is compared as if the
        // null branch were not there. This lets `anyOf: [<inline object>, null]` in the official
        // document match `anyOf: [$ref, null]` in the fragment.
        var (offNull, offCore) = SplitNull(_official, off);
        var (fragNull, fragCore) = SplitNull(_fragment, frag);
        if (fragNull == NullableKeywordForm)
        {
            Report(where, off, frag, "nullability: the fragment writes `nullable: true`, which OpenAPI 3.1 does not have (Specgen ignores it); write anyOf: [X, {type: 'null'}]");
        }
        else if (!SameNullability(offNull, fragNull) && !IsKnownNullabilityCorrection(off.Pointer, offNull, fragNull))
        {
            Report(where, off, frag, $"nullability: official {offNull ?? "not nullable"}, fragment {fragNull ?? "not nullable"}");
        }

        offCore = _official.Resolve(offCore);
        fragCore = _fragment.Resolve(fragCore);
        if (offCore.Pointer != off.Pointer || fragCore.Pointer != frag.Pointer)
        {
            CompareSchema(where, offCore, fragCore);
            return;
        }

        // The cores differ from the schemas only by a stripped `nullable: true`.
        CompareSchemaKeywords(where, offCore, fragCore);
    }

    private static bool SameNullability(string? official, string? fragment) =>
        official == fragment || (official == NullableKeywordForm && fragment == AnyOfNullForm);

    private void CompareSchemaKeywords(string where, Node off, Node frag)
    {
        if (off.Value is not YamlMap offMap || frag.Value is not YamlMap fragMap)
        {
            // Boolean schemas (true / false) or something malformed: compare as plain values.
            CompareValue(where, "schema", off, frag);
            return;
        }

        foreach (string keyword in offMap.Keys.Union(fragMap.Keys))
        {
            if (IsIgnored(keyword))
            {
                continue;
            }

            var offValue = Child(off, keyword);
            var fragValue = Child(frag, keyword);
            if (ConstraintKeywords.Contains(keyword) && offValue.Value is null)
            {
                continue; // the fragment may state a limit that the official document gives only in prose
            }

            switch (keyword)
            {
                case "type":
                    CompareTypes(where, off, frag);
                    break;
                case "properties":
                    CompareProperties(where, offValue, fragValue);
                    break;
                case "required":
                    CompareStringSet(where, "required", offValue, fragValue);
                    break;
                case "enum":
                    CompareEnum(where, offValue, fragValue);
                    break;
                case "items":
                    CompareSchemaSlot($"{where}[]", offValue, fragValue);
                    break;
                case "additionalProperties" when offValue.Value is YamlMap && fragValue.Value is YamlMap:
                    CompareSchema($"{where}{{*}}", offValue, fragValue);
                    break;
                case "oneOf":
                case "anyOf":
                case "allOf":
                    CompareVariants(where, keyword, off, frag);
                    break;
                default:
                    // format, default, const, additionalProperties: false, constraints the official
                    // document has, and anything unforeseen: must be the same value.
                    CompareValue(where, keyword, offValue, fragValue);
                    break;
            }
        }
    }

    private void CompareTypes(string where, Node off, Node frag)
    {
        // The null part of a type array was already compared as nullability.
        string offTypes = TypeSet(((YamlMap)off.Value!).GetValueOrDefault("type"));
        string fragTypes = TypeSet(((YamlMap)frag.Value!).GetValueOrDefault("type"));
        if (offTypes != fragTypes)
        {
            Report(where, off, frag, $"type: official {offTypes}, fragment {fragTypes}");
        }
    }

    private static string TypeSet(object? type)
    {
        var names = type switch
        {
            null => new List<string>(),
            YamlList list => list.Select(t => Convert.ToString(t, CultureInfo.InvariantCulture) ?? "").ToList(),
            _ => new List<string> { Convert.ToString(type, CultureInfo.InvariantCulture) ?? "" },
        };
        if (names.Count > 1)
        {
            names.Remove("null");
        }

        return names.Count == 0 ? "(none)" : string.Join("|", names.OrderBy(n => n, StringComparer.Ordinal));
    }

    private void CompareProperties(string where, Node off, Node frag)
    {
        foreach (string name in Keys(off).Union(Keys(frag)))
        {
            var offProperty = Child(off, name);
            var fragProperty = Child(frag, name);
            if (fragProperty.Value is null && KnownOfficialSlips.ContainsKey(offProperty.Pointer))
            {
                continue;
            }

            if (offProperty.Value is null || fragProperty.Value is null)
            {
                string side = offProperty.Value is null ? "the fragment" : "the official document";
                Report(where, off, frag, $"property '{name}' only in {side}");
                continue;
            }

            CompareSchema($"{where}.{name}", offProperty, fragProperty);
        }
    }

    private void CompareEnum(string where, Node off, Node frag)
    {
        var offValues = Items(off).Select(Canonical).ToList();
        var fragValues = Items(frag).Select(Canonical).ToList();
        foreach (string value in offValues.Except(fragValues))
        {
            Report(where, off, frag, $"enum value {value} only in the official document");
        }

        foreach (string value in fragValues.Except(offValues))
        {
            Report(where, off, frag, $"enum value {value} only in the fragment");
        }
    }

    /// <summary>
    /// oneOf / anyOf / allOf: the variants are matched as a set, not by position, using a key
    /// taken from their structure (see <see cref="Variants"/>), then compared pairwise.
    /// </summary>
    private void CompareVariants(string where, string keyword, Node off, Node frag)
    {
        var offVariants = Variants(_official, Child(off, keyword));
        var fragVariants = Variants(_fragment, Child(frag, keyword));
        foreach (string key in offVariants.Keys.Union(fragVariants.Keys))
        {
            bool inOff = offVariants.TryGetValue(key, out var offVariant);
            bool inFrag = fragVariants.TryGetValue(key, out var fragVariant);
            if (!inOff || !inFrag)
            {
                Report(where, off, frag, $"{keyword} variant {key} only in {(inOff ? "the official document" : "the fragment")}");
                continue;
            }

            CompareSchema($"{where}<{keyword} {key}>", offVariant, fragVariant);
        }
    }

    /// <summary>
    /// The non-null variants of a union, keyed by what identifies them: the single value of
    /// their `type` property (type=text), else their JSON type (string schema / array schema), else,
    /// when neither tells them apart, their position (#0, #1 ...).
    /// </summary>
    private static Dictionary<string, Node> Variants(OpenApiDocument document, Node list)
    {
        var variants = new List<Node>();
        if (list.Value is YamlList items)
        {
            for (int i = 0; i < items.Count; i++)
            {
                var variant = new Node(items[i], $"{list.Pointer}/{i}");
                if (!IsNullSchema(document.Resolve(variant)))
                {
                    variants.Add(variant);
                }
            }
        }

        var keys = variants.Select(v => VariantKey(document, v)).ToList();
        if (keys.Any(k => k is null) || keys.Distinct().Count() != keys.Count)
        {
            keys = variants.Select((_, i) => (string?)$"#{i}").ToList();
        }

        return variants.Select((v, i) => (Key: keys[i]!, Node: v)).ToDictionary(p => p.Key, p => p.Node);
    }

    private static string? VariantKey(OpenApiDocument document, Node variant)
    {
        var schema = document.Resolve(variant);
        var typeProperty = document.Resolve(Child(Child(schema, "properties"), "type"));
        if (Child(typeProperty, "enum").Value is YamlList { Count: 1 } single)
        {
            return $"type={single[0]}";
        }

        return (schema.Value as YamlMap)?.GetValueOrDefault("type") is string jsonType ? $"{jsonType} schema" : null;
    }

    /// <summary>
    /// Splits nullability off a schema. Returns how it is nullable (null when it is not) and the
    /// part to compare further: the one non-null branch of `anyOf: [X, {type: 'null'}]`, or the
    /// schema itself (type arrays, unions with several non-null branches).
    /// </summary>
    private static (string? NullForm, Node Core) SplitNull(OpenApiDocument document, Node schema)
    {
        if (schema.Value is not YamlMap map)
        {
            return (null, schema);
        }

        // OpenAPI 3.0's `nullable: true` beside the other keywords (or beside a $ref, which
        // Resolve has laid over its target): the core is the same schema without it.
        if (Equals(map.GetValueOrDefault("nullable"), true))
        {
            var rest = new YamlMap(map);
            rest.Remove("nullable");
            return (NullableKeywordForm, new Node(rest, schema.Pointer));
        }

        // allOf: [$ref X, {nullable: true}] - the same, written as a second allOf member.
        if (map.GetValueOrDefault("allOf") is YamlList parts && map.Keys.All(k => k == "allOf" || IsIgnored(k)))
        {
            var others = Enumerable.Range(0, parts.Count).Where(i => !IsNullableMarker(parts[i])).ToList();
            if (others.Count == 1 && parts.Count > 1)
            {
                return (NullableKeywordForm, new Node(parts[others[0]], $"{schema.Pointer}/allOf/{others[0]}"));
            }
        }

        if (map.GetValueOrDefault("type") is YamlList types && types.Contains("null") && types.Count > 1)
        {
            return ("a type array with null", schema);
        }

        foreach (string keyword in new[] { "anyOf", "oneOf" })
        {
            var list = Child(schema, keyword);
            if (list.Value is not YamlList branches)
            {
                continue;
            }

            var nonNull = new List<Node>();
            for (int i = 0; i < branches.Count; i++)
            {
                var branch = new Node(branches[i], $"{list.Pointer}/{i}");
                if (!IsNullSchema(document.Resolve(branch)))
                {
                    nonNull.Add(branch);
                }
            }

            if (nonNull.Count == branches.Count)
            {
                continue;
            }

            // Only unwrap when the union is the whole story; otherwise keep the schema and let
            // the variant comparison skip its null branch.
            bool onlyTheUnion = map.Keys.All(k => k == keyword || IsIgnored(k));
            return ($"{keyword} with a null branch", nonNull.Count == 1 && onlyTheUnion ? nonNull[0] : schema);
        }

        return (null, schema);
    }

    private static bool IsNullableMarker(object? part) =>
        part is YamlMap map && Equals(map.GetValueOrDefault("nullable"), true) && map.Keys.All(k => k == "nullable" || IsIgnored(k));

    private static bool IsNullSchema(Node schema) =>
        schema.Value is YamlMap map
        && Equals(map.GetValueOrDefault("type"), "null")
        && map.Keys.All(k => k == "type" || IsIgnored(k));

    internal static bool IsIgnored(string keyword) =>
        IgnoredKeywords.Contains(keyword) || keyword.StartsWith("x-", StringComparison.Ordinal);

    // ---- plain values -------------------------------------------------------------------------

    private void CompareOtherKeywords(string where, Node off, Node frag, IReadOnlyCollection<string> exclude)
    {
        foreach (string keyword in Keys(off).Union(Keys(frag)))
        {
            if (!exclude.Contains(keyword) && !IsIgnored(keyword))
            {
                CompareValue(where, keyword, Child(off, keyword), Child(frag, keyword));
            }
        }
    }

    /// <summary>`required` of parameters, headers and request bodies: absent means false.</summary>
    private void CompareFlag(string where, string what, Node owner, Node otherOwner)
    {
        bool off = Equals((owner.Value as YamlMap)?.GetValueOrDefault("required"), true);
        bool frag = Equals((otherOwner.Value as YamlMap)?.GetValueOrDefault("required"), true);
        if (off != frag)
        {
            Report(where, owner, otherOwner, $"{what}: official {off.ToString().ToLowerInvariant()}, fragment {frag.ToString().ToLowerInvariant()}");
        }
    }

    private void CompareValue(string where, string what, Node off, Node frag)
    {
        string offText = off.Value is null ? "(absent)" : Canonical(off.Value);
        string fragText = frag.Value is null ? "(absent)" : Canonical(frag.Value);
        if (offText != fragText)
        {
            Report(where, off, frag, $"{what}: official {Shorten(offText)}, fragment {Shorten(fragText)}");
        }
    }

    private void CompareStringSet(string where, string what, Node off, Node frag)
    {
        var offItems = Items(off).Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? "").ToList();
        var fragItems = Items(frag).Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? "").ToList();
        foreach (string item in offItems.Except(fragItems))
        {
            Report(where, off, frag, $"{what}: '{item}' only in the official document");
        }

        foreach (string item in fragItems.Except(offItems))
        {
            Report(where, off, frag, $"{what}: '{item}' only in the fragment");
        }
    }

    private void Report(string where, Node off, Node frag, string what) =>
        _differences.Add($"{where}: {what}  [official {off.Pointer} | fragment {frag.Pointer}]");

    private static string Yes(bool value) => value ? "yes" : "no";

    private static string Shorten(string text) => text.Length <= 160 ? text : text.Substring(0, 157) + "...";

    private static IEnumerable<string> Keys(Node node) =>
        node.Value is YamlMap map ? map.Keys : Enumerable.Empty<string>();

    private static IEnumerable<object?> Items(Node node) =>
        node.Value is YamlList list ? list : Enumerable.Empty<object?>();

    private static Node Child(Node node, string key) =>
        new(node.Value is YamlMap map ? map.GetValueOrDefault(key) : null, $"{node.Pointer}/{JsonPointer.Escape(key)}");

    /// <summary>
    /// A stable text form of a YAML value, used to compare values: strings are quoted so that
    /// "20" and 20 differ, and mapping keys are sorted so that key order does not matter.
    /// </summary>
    internal static string Canonical(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d == Math.Floor(d) && Math.Abs(d) < 1e15
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture),
        YamlList list => "[" + string.Join(", ", list.Select(Canonical)) + "]",
        YamlMap map => "{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}: {Canonical(p.Value)}")) + "}",
        _ => value.ToString() ?? "",
    };
}

/// <summary>A value in a document together with the JSON pointer where it sits.</summary>
internal readonly record struct Node(object? Value, string Pointer);

/// <summary>A loaded OpenAPI document that can follow local $refs.</summary>
internal sealed class OpenApiDocument
{
    private OpenApiDocument(string name, YamlMap root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }

    public YamlMap Root { get; }

    public Node RootNode => new(Root, "#");

    public static OpenApiDocument Load(string name, string path) =>
        new(name, YamlTree.Parse(File.ReadAllText(path)) as YamlMap
                  ?? throw new InvalidDataException($"{path} is not a YAML mapping."));

    /// <summary>
    /// Follows $ref (repeatedly) to the schema or object it names. Keywords written next to a
    /// $ref (OpenAPI 3.1 allows that) are laid over the target, so a description beside a $ref
    /// is ignored like any description and a structural keyword there is still compared.
    /// An unresolvable $ref is left as is, and the comparison then reports the difference.
    /// </summary>
    public Node Resolve(Node node)
    {
        for (int hops = 0; hops < 64; hops++)
        {
            if (node.Value is not YamlMap map || map.GetValueOrDefault("$ref") is not string reference)
            {
                return node;
            }

            if (!TryFind(reference, out object? target))
            {
                return node;
            }

            var merged = target is YamlMap targetMap ? new YamlMap(targetMap) : null;
            if (merged is null)
            {
                return new Node(target, reference);
            }

            foreach (var (key, value) in map)
            {
                if (key != "$ref")
                {
                    merged[key] = value;
                }
            }

            // The merged schema stands for the target only when nothing structural was laid
            // over it. Otherwise (`$ref: X` with `nullable: true` beside it, say) it is a schema
            // of its own, located where it is written: keyed by the target, it would be taken for
            // the target, and the comparer compares each pair of locations only once.
            bool overlaid = map.Keys.Any(k => k != "$ref" && !SpecComparer.IsIgnored(k));
            node = new Node(merged, overlaid ? node.Pointer : reference);
        }

        throw new InvalidOperationException($"{Name}: $ref chain at {node.Pointer} does not end.");
    }

    private bool TryFind(string reference, out object? target)
    {
        target = null;
        if (!reference.StartsWith("#", StringComparison.Ordinal))
        {
            return false; // only local references occur in these documents
        }

        object? current = Root;
        foreach (string segment in reference.Substring(1).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string key = JsonPointer.Unescape(segment);
            if (current is YamlMap map && map.TryGetValue(key, out object? next))
            {
                current = next;
            }
            else if (current is YamlList list && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < list.Count)
            {
                current = list[index];
            }
            else
            {
                return false;
            }
        }

        target = current;
        return true;
    }
}

internal static class JsonPointer
{
    public static string Escape(string key) => key.Replace("~", "~0").Replace("/", "~1");

    public static string Unescape(string segment) => segment.Replace("~1", "/").Replace("~0", "~");
}

/// <summary>A YAML mapping, with lookups that fail loudly in tests.</summary>
internal sealed class YamlMap : Dictionary<string, object?>
{
    public YamlMap()
        : base(StringComparer.Ordinal)
    {
    }

    public YamlMap(IDictionary<string, object?> copy)
        : base(copy, StringComparer.Ordinal)
    {
    }

    public YamlMap Map(string key) =>
        this.GetValueOrDefault(key) as YamlMap ?? throw new KeyNotFoundException($"No mapping '{key}'.");

    public YamlList List(string key) =>
        this.GetValueOrDefault(key) as YamlList ?? throw new KeyNotFoundException($"No sequence '{key}'.");
}

/// <summary>A YAML sequence.</summary>
internal sealed class YamlList : List<object?>
{
}

/// <summary>
/// Reads YAML into plain values: <see cref="YamlMap"/>, <see cref="YamlList"/>, string, long,
/// double, bool and null, with plain scalars typed the YAML 1.2 core-schema way.
/// </summary>
internal static class YamlTree
{
    public static object? Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(BlockScalarWorkaround.Rewrite(text)));
        return stream.Documents.Count == 0 ? null : ToValue(stream.Documents[0].RootNode);
    }

    private static object? ToValue(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var map = new YamlMap();
                foreach (var (key, value) in mapping.Children)
                {
                    map.Add(((YamlScalarNode)key).Value ?? "", ToValue(value));
                }

                return map;
            case YamlSequenceNode sequence:
                var list = new YamlList();
                list.AddRange(sequence.Children.Select(ToValue));
                return list;
            case YamlScalarNode scalar:
                return scalar.Style == ScalarStyle.Plain ? PlainScalar(scalar.Value ?? "") : scalar.Value ?? "";
            default:
                throw new InvalidDataException($"Unexpected YAML node {node.NodeType} at {node.Start}.");
        }
    }

    private static object? PlainScalar(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
        }

        if (Regex.IsMatch(text, @"^[-+]?[0-9]+$")
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return integer;
        }

        if (Regex.IsMatch(text, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return number;
        }

        return text;
    }
}

/// <summary>
/// YamlDotNet 16.3.0 throws on a valid block scalar whose lines are all blank but contain
/// spaces (aaubry/YamlDotNet#523); the official OpenAI document has one (`example: |+`
/// followed by a line of spaces). Such a scalar has no content, so its value is fully decided
/// by its chomping indicator: "" for clip and strip, one line break per blank line for keep.
/// This rewrites exactly those scalars to the equivalent double-quoted scalar before parsing
/// and leaves every other line alone.
/// </summary>
internal static class BlockScalarWorkaround
{
    // A line that ends in a block scalar header: indentation, any "- " sequence markers, an
    // optional plain or quoted key with ':', then | or > with optional chomping / indentation
    // indicators and an optional comment.
    private static readonly Regex Header = new(
        @"^(?<lead>[ ]*(?:-[ ]+)*)(?<key>(?:""[^""]*""|'[^']*'|[^\s#'""][^#]*?):[ ]+)?[|>](?<flags>[-+1-9]{0,2})[ ]*(?:#.*)?\r?$",
        RegexOptions.CultureInvariant);

    public static string Rewrite(string text)
    {
        string[] lines = text.Split('\n');
        // A final line break leaves an empty last element that is not a line of the document.
        int count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;

        for (int i = 0; i < count; i++)
        {
            var header = Header.Match(lines[i]);
            if (!header.Success)
            {
                continue;
            }

            // Content lines are indented deeper than the node that owns the scalar: the key, or
            // the last "-" for a scalar that is itself a sequence entry.
            string lead = header.Groups["lead"].Value;
            int ownerColumn = header.Groups["key"].Success ? lead.Length : lead.TrimEnd().Length - 1;
            int end = i + 1;
            while (end < count && (IsBlank(lines[end]) || Indentation(lines[end]) > ownerColumn))
            {
                end++;
            }

            string flags = header.Groups["flags"].Value;
            bool allBlank = end > i + 1 && Enumerable.Range(i + 1, end - i - 1).All(j => IsBlank(lines[j]));
            if (allBlank && !flags.Any(char.IsDigit))
            {
                int breaks = flags.Contains('+') ? end - i - 1 : 0;
                lines[i] = lead + header.Groups["key"].Value + "\"" + string.Concat(Enumerable.Repeat("\\n", breaks)) + "\"";
                for (int j = i + 1; j < end; j++)
                {
                    lines[j] = "";
                }
            }

            // Skip the content: text inside a block scalar may look like a header but is not one.
            i = end - 1;
        }

        return string.Join('\n', lines);
    }

    private static bool IsBlank(string line) => line.All(c => c is ' ' or '\t' or '\r');

    private static int Indentation(string line) => line.Length - line.TrimStart(' ').Length;
}
