using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ThreadsServer;

/// <summary>
/// Reads and validates request bodies and query strings against the official request schemas
/// (which all say <c>additionalProperties: false</c>), and normalizes them into response shape.
/// Every problem is an <see cref="ApiException"/> (HTTP 400) whose <c>param</c> names the field,
/// with nested fields written like the real API's: <c>messages[0].content[1].type</c>.
/// </summary>
internal static partial class RequestReaders
{
    public const int MaxMetadataPairs = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;
    public const int DefaultListLimit = 20;
    public const int MaxListLimit = 100;

    private static readonly string[] Roles = ["user", "assistant"];
    private static readonly string[] ContentPartTypes = ["text", "image_file", "image_url"];
    private static readonly string[] ImageDetails = ["auto", "low", "high"];
    private static readonly string[] AttachmentToolTypes = ["code_interpreter", "file_search"];
    private static readonly string[] Orders = ["asc", "desc"];

    /// <summary><c>[]</c> as a standalone element.</summary>
    public static readonly JsonElement EmptyArray = Build(w => w.WriteStartArray(), w => w.WriteEndArray());

    /// <summary><c>{}</c> as a standalone element.</summary>
    public static readonly JsonElement EmptyObject = Build(w => w.WriteStartObject(), w => w.WriteEndObject());

    /// <summary>
    /// Reads the body as a JSON object. An empty body is <see langword="null"/> when
    /// <paramref name="required"/> is false (<c>createThread</c> accepts <c>-d ''</c>), else an error.
    /// </summary>
    public static async Task<JsonDocument?> ReadBodyAsync(HttpContext context, bool required)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return required ? throw ApiErrors.MissingBody() : null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            throw ApiErrors.InvalidJson();
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new ApiException(
                StatusCodes.Status400BadRequest,
                $"Invalid body: expected a JSON object, but got {ApiErrors.Describe(kind)} instead.",
                null);
        }

        return document;
    }

    /// <summary>
    /// Reads a <c>CreateThreadRequest</c>; <see langword="null"/> is the empty request.
    /// <paramref name="prefix"/> qualifies error params (<c>thread.</c> inside createThreadAndRun).
    /// </summary>
    public static NewThread ReadCreateThread(JsonElement? body, string prefix = "")
    {
        if (body is not { } root)
        {
            return new NewThread([], EmptyObject, new Dictionary<string, string>());
        }

        RejectUnknownProperties(root, prefix, "messages", "tool_resources", "metadata");

        var messages = new List<NewMessage>();
        if (root.TryGetProperty("messages", out var messagesElement) && messagesElement.ValueKind != JsonValueKind.Null)
        {
            ReadMessageList(messagesElement, prefix + "messages", messages);
        }

        var toolResources = root.TryGetProperty("tool_resources", out var resources)
            ? ReadToolResources(resources, allowVectorStoreHelper: true, prefix + "tool_resources")
            : EmptyObject;
        var metadata = root.TryGetProperty("metadata", out var metadataElement)
            ? ReadMetadata(metadataElement, prefix + "metadata")
            : new Dictionary<string, string>();
        return new NewThread(messages, toolResources, metadata);
    }

    /// <summary>Reads an array of <c>CreateMessageRequest</c>s into <paramref name="messages"/>.</summary>
    private static void ReadMessageList(JsonElement array, string param, List<NewMessage> messages)
    {
        ExpectKind(array, JsonValueKind.Array, param, "an array");
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{param}[{index++}]";
            ExpectKind(item, JsonValueKind.Object, path, "an object");
            messages.Add(ReadCreateMessage(item, path + "."));
        }
    }

    /// <summary>Reads a <c>CreateMessageRequest</c>; <paramref name="prefix"/> qualifies error params.</summary>
    public static NewMessage ReadCreateMessage(JsonElement root, string prefix = "")
    {
        RejectUnknownProperties(root, prefix, "role", "content", "attachments", "metadata");

        if (!root.TryGetProperty("role", out var roleElement))
        {
            throw ApiErrors.MissingParameter(prefix + "role");
        }

        var role = ReadEnum(roleElement, prefix + "role", Roles);

        if (!root.TryGetProperty("content", out var contentElement))
        {
            throw ApiErrors.MissingParameter(prefix + "content");
        }

        var content = ReadContent(contentElement, prefix + "content");

        var attachments = root.TryGetProperty("attachments", out var attachmentsElement)
            ? ReadAttachments(attachmentsElement, prefix + "attachments")
            : EmptyArray;
        var metadata = root.TryGetProperty("metadata", out var metadataElement)
            ? ReadMetadata(metadataElement, prefix + "metadata")
            : new Dictionary<string, string>();
        return new NewMessage(role, content, attachments, metadata);
    }

    /// <summary>Reads a <c>ModifyThreadRequest</c>: present members replace the stored ones.</summary>
    public static ThreadChanges ReadModifyThread(JsonElement root)
    {
        RejectUnknownProperties(root, "", "tool_resources", "metadata");
        JsonElement? toolResources = root.TryGetProperty("tool_resources", out var resources)
            ? ReadToolResources(resources, allowVectorStoreHelper: false)
            : null;
        var metadata = root.TryGetProperty("metadata", out var metadataElement)
            ? ReadMetadata(metadataElement, "metadata")
            : null;
        return new ThreadChanges(toolResources, metadata);
    }

    /// <summary>Reads a <c>ModifyMessageRequest</c>: the new metadata, or null when absent.</summary>
    public static IReadOnlyDictionary<string, string>? ReadModifyMessage(JsonElement root)
    {
        RejectUnknownProperties(root, "", "metadata");
        return root.TryGetProperty("metadata", out var metadataElement)
            ? ReadMetadata(metadataElement, "metadata")
            : null;
    }

    /// <summary>Reads a list query: limit, order, after, before, and run_id (which only <c>listMessages</c> uses).</summary>
    public static ListQuery ReadListQuery(IQueryCollection query)
    {
        var limit = DefaultListLimit;
        if (QueryValue(query, "limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit))
            {
                throw ApiErrors.Invalid("limit", $"Invalid 'limit': expected an integer, but got '{limitText}' instead.");
            }

            if (limit < 1)
            {
                throw ApiErrors.Invalid("limit", $"Invalid 'limit': integer below minimum value. Expected a value >= 1, but got {limit} instead.");
            }

            if (limit > MaxListLimit)
            {
                throw ApiErrors.Invalid("limit", $"Invalid 'limit': integer above maximum value. Expected a value <= {MaxListLimit}, but got {limit} instead.");
            }
        }

        var order = QueryValue(query, "order") ?? "desc";
        if (!Orders.Contains(order, StringComparer.Ordinal))
        {
            throw ApiErrors.UnsupportedValue("order", order, Orders);
        }

        return new ListQuery(
            limit,
            Descending: order == "desc",
            After: QueryValue(query, "after"),
            Before: QueryValue(query, "before"),
            RunId: QueryValue(query, "run_id"));
    }

    // An absent or empty query parameter is null; a repeated one is the first value.
    private static string? QueryValue(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    /// <summary>Message content made of one text part: <c>[{"type": "text", "text": {"value", "annotations": []}}]</c>.</summary>
    public static JsonElement TextContent(string text) => Build(w =>
    {
        w.WriteStartArray();
        WriteTextPart(w, text);
        w.WriteEndArray();
    });

    /// <summary>A string becomes one text part; an array of parts is checked part by part.</summary>
    private static JsonElement ReadContent(JsonElement content, string param)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return TextContent(content.GetString()!);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw ApiErrors.WrongType(param, "a string or an array of content parts", content.ValueKind);
        }

        if (content.GetArrayLength() == 0)
        {
            throw ApiErrors.Invalid(param, $"Invalid '{param}': empty array. Expected an array with minimum length 1, but got an empty array instead.");
        }

        var parts = new List<Action<Utf8JsonWriter>>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            parts.Add(ReadContentPart(part, $"{param}[{index++}]"));
        }

        return Build(w =>
        {
            w.WriteStartArray();
            foreach (var writePart in parts)
            {
                writePart(w);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>Validates one content part and returns how to write it in response shape.</summary>
    private static Action<Utf8JsonWriter> ReadContentPart(JsonElement part, string param)
    {
        ExpectKind(part, JsonValueKind.Object, param, "an object");
        if (!part.TryGetProperty("type", out var typeElement))
        {
            throw ApiErrors.MissingParameter(param + ".type");
        }

        var type = ReadEnum(typeElement, param + ".type", ContentPartTypes);
        switch (type)
        {
            case "text":
            {
                var text = RequiredString(part, "text", param);
                return w => WriteTextPart(w, text);
            }

            case "image_file":
            {
                var image = RequiredObject(part, "image_file", param);
                var fileId = RequiredString(image, "file_id", param + ".image_file");
                var detail = OptionalEnum(image, "detail", param + ".image_file", ImageDetails);
                return w => WriteImagePart(w, "image_file", "file_id", fileId, detail);
            }

            default:
            {
                var image = RequiredObject(part, "image_url", param);
                var url = RequiredString(image, "url", param + ".image_url");
                var detail = OptionalEnum(image, "detail", param + ".image_url", ImageDetails);
                return w => WriteImagePart(w, "image_url", "url", url, detail);
            }
        }
    }

    private static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteStartObject("text");
        writer.WriteString("value", text);
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteImagePart(Utf8JsonWriter writer, string type, string key, string value, string? detail)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteStartObject(type);
        writer.WriteString(key, value);
        if (detail is not null)
        {
            writer.WriteString("detail", detail);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Attachments: <c>[{file_id, tools: [{type}]}]</c>; null or absent is <c>[]</c>, as are absent tools.</summary>
    private static JsonElement ReadAttachments(JsonElement attachments, string param)
    {
        if (attachments.ValueKind == JsonValueKind.Null)
        {
            return EmptyArray;
        }

        ExpectKind(attachments, JsonValueKind.Array, param, "an array");
        var read = new List<(string FileId, List<string> Tools)>();
        var index = 0;
        foreach (var attachment in attachments.EnumerateArray())
        {
            var path = $"{param}[{index++}]";
            ExpectKind(attachment, JsonValueKind.Object, path, "an object");
            var fileId = RequiredString(attachment, "file_id", path);
            var tools = new List<string>();
            if (attachment.TryGetProperty("tools", out var toolsElement) && toolsElement.ValueKind != JsonValueKind.Null)
            {
                ExpectKind(toolsElement, JsonValueKind.Array, path + ".tools", "an array");
                var toolIndex = 0;
                foreach (var tool in toolsElement.EnumerateArray())
                {
                    var toolPath = $"{path}.tools[{toolIndex++}]";
                    ExpectKind(tool, JsonValueKind.Object, toolPath, "an object");
                    if (!tool.TryGetProperty("type", out var toolType))
                    {
                        throw ApiErrors.MissingParameter(toolPath + ".type");
                    }

                    tools.Add(ReadEnum(toolType, toolPath + ".type", AttachmentToolTypes));
                }
            }

            read.Add((fileId, tools));
        }

        return Build(w =>
        {
            w.WriteStartArray();
            foreach (var (fileId, tools) in read)
            {
                w.WriteStartObject();
                w.WriteString("file_id", fileId);
                w.WriteStartArray("tools");
                foreach (var tool in tools)
                {
                    w.WriteStartObject();
                    w.WriteString("type", tool);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// Tool resources (an open schema: unknown members are dropped), normalized to <c>{"code_interpreter": {"file_ids": [...]}, "file_search":
    /// {"vector_store_ids": [...]}}</c> with only the tools given; null is <c>{}</c>. On create, the
    /// <c>vector_stores</c> helper stands for a vector store this server pretends to create: it gets
    /// a fresh <c>vs_</c> id.
    /// </summary>
    private static JsonElement ReadToolResources(JsonElement resources, bool allowVectorStoreHelper, string param = "tool_resources")
    {
        if (resources.ValueKind == JsonValueKind.Null)
        {
            return EmptyObject;
        }

        ExpectKind(resources, JsonValueKind.Object, param, "an object");

        List<string>? fileIds = null;
        if (resources.TryGetProperty("code_interpreter", out var codeInterpreter))
        {
            ExpectKind(codeInterpreter, JsonValueKind.Object, param + ".code_interpreter", "an object");
            fileIds = codeInterpreter.TryGetProperty("file_ids", out var ids)
                ? ReadStringArray(ids, param + ".code_interpreter.file_ids", maxItems: 20)
                : [];
        }

        List<string>? vectorStoreIds = null;
        if (resources.TryGetProperty("file_search", out var fileSearch))
        {
            var path = param + ".file_search";
            ExpectKind(fileSearch, JsonValueKind.Object, path, "an object");
            var hasIds = fileSearch.TryGetProperty("vector_store_ids", out var ids);
            JsonElement helper = default;
            // Only createThread knows the helper; elsewhere it is an unknown (ignored) member.
            var hasHelper = allowVectorStoreHelper && fileSearch.TryGetProperty("vector_stores", out helper);
            if (hasIds && hasHelper)
            {
                throw ApiErrors.Invalid(path, $"Invalid '{path}': provide either 'vector_store_ids' or 'vector_stores', not both.");
            }

            vectorStoreIds = hasIds ? ReadStringArray(ids, path + ".vector_store_ids", maxItems: 1) : [];
            if (hasHelper)
            {
                ExpectKind(helper, JsonValueKind.Array, path + ".vector_stores", "an array");
                CheckMaxItems(helper, path + ".vector_stores", maxItems: 1);
                var index = 0;
                foreach (var store in helper.EnumerateArray())
                {
                    var storePath = $"{path}.vector_stores[{index++}]";
                    ExpectKind(store, JsonValueKind.Object, storePath, "an object");
                    if (store.TryGetProperty("file_ids", out var storeFiles))
                    {
                        ReadStringArray(storeFiles, storePath + ".file_ids", maxItems: int.MaxValue);
                    }

                    if (store.TryGetProperty("chunking_strategy", out var strategy))
                    {
                        ExpectKind(strategy, JsonValueKind.Object, storePath + ".chunking_strategy", "an object");
                    }

                    if (store.TryGetProperty("metadata", out var storeMetadata))
                    {
                        ReadMetadata(storeMetadata, storePath + ".metadata");
                    }

                    vectorStoreIds.Add(Ids.New("vs_"));
                }
            }
        }

        return Build(w =>
        {
            w.WriteStartObject();
            if (fileIds is not null)
            {
                w.WriteStartObject("code_interpreter");
                WriteStringArray(w, "file_ids", fileIds);
                w.WriteEndObject();
            }

            if (vectorStoreIds is not null)
            {
                w.WriteStartObject("file_search");
                WriteStringArray(w, "vector_store_ids", vectorStoreIds);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Metadata: at most 16 string pairs, keys up to 64 characters, values up to 512.
    /// Null is the empty map (on modify it clears the metadata).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(JsonElement metadata, string param)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        ExpectKind(metadata, JsonValueKind.Object, param, "an object");
        foreach (var pair in metadata.EnumerateObject())
        {
            if (pair.Name.Length > MaxMetadataKeyLength)
            {
                throw ApiErrors.Invalid(param,
                    $"Invalid '{param}': key '{pair.Name}' is too long. Expected a key with maximum length {MaxMetadataKeyLength}, but got a key with length {pair.Name.Length} instead.");
            }

            var valueParam = $"{param}.{pair.Name}";
            ExpectKind(pair.Value, JsonValueKind.String, valueParam, "a string");
            var value = pair.Value.GetString()!;
            if (value.Length > MaxMetadataValueLength)
            {
                throw ApiErrors.Invalid(valueParam,
                    $"Invalid '{valueParam}': string too long. Expected a string with maximum length {MaxMetadataValueLength}, but got a string with length {value.Length} instead.");
            }

            result[pair.Name] = value;
        }

        if (result.Count > MaxMetadataPairs)
        {
            throw ApiErrors.Invalid(param,
                $"Invalid '{param}': too many properties. Expected an object with at most {MaxMetadataPairs} properties, but got an object with {result.Count} properties instead.");
        }

        return result;
    }

    private static void RejectUnknownProperties(JsonElement element, string prefix, params string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw ApiErrors.UnknownParameter(prefix + property.Name);
            }
        }
    }

    private static void ExpectKind(JsonElement element, JsonValueKind kind, string param, string expected)
    {
        if (element.ValueKind != kind)
        {
            throw ApiErrors.WrongType(param, expected, element.ValueKind);
        }
    }

    private static string ReadEnum(JsonElement element, string param, string[] supported)
    {
        ExpectKind(element, JsonValueKind.String, param, "a string");
        var value = element.GetString()!;
        return supported.Contains(value, StringComparer.Ordinal)
            ? value
            : throw ApiErrors.UnsupportedValue(param, value, supported);
    }

    private static string? OptionalEnum(JsonElement owner, string name, string ownerParam, string[] supported) =>
        owner.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? ReadEnum(element, $"{ownerParam}.{name}", supported)
            : null;

    private static string RequiredString(JsonElement owner, string name, string ownerParam)
    {
        var param = $"{ownerParam}.{name}";
        if (!owner.TryGetProperty(name, out var element))
        {
            throw ApiErrors.MissingParameter(param);
        }

        ExpectKind(element, JsonValueKind.String, param, "a string");
        return element.GetString()!;
    }

    private static JsonElement RequiredObject(JsonElement owner, string name, string ownerParam)
    {
        var param = $"{ownerParam}.{name}";
        if (!owner.TryGetProperty(name, out var element))
        {
            throw ApiErrors.MissingParameter(param);
        }

        ExpectKind(element, JsonValueKind.Object, param, "an object");
        return element;
    }

    private static List<string> ReadStringArray(JsonElement array, string param, int maxItems)
    {
        ExpectKind(array, JsonValueKind.Array, param, "an array");
        CheckMaxItems(array, param, maxItems);
        var result = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            ExpectKind(item, JsonValueKind.String, $"{param}[{index++}]", "a string");
            result.Add(item.GetString()!);
        }

        return result;
    }

    private static void CheckMaxItems(JsonElement array, string param, int maxItems)
    {
        var length = array.GetArrayLength();
        if (length > maxItems)
        {
            throw ApiErrors.Invalid(param,
                $"Invalid '{param}': array too long. Expected an array with maximum length {maxItems}, but got an array with length {length} instead.");
        }
    }

    private static void WriteStringArray(Utf8JsonWriter writer, string name, List<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes JSON with the given callbacks and returns it as a standalone element.</summary>
    private static JsonElement Build(params Action<Utf8JsonWriter>[] steps)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            foreach (var step in steps)
            {
                step(writer);
            }
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
