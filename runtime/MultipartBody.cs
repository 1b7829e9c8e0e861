using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Specgen.Runtime;

/// <summary>
/// A <c>multipart/form-data</c> body: text fields, JSON fields and files, in order. A fresh
/// <see cref="HttpContent"/> is made from it for every try (see <see cref="FileUpload"/> for how
/// a file's stream is sent again).
/// </summary>
public sealed class MultipartBody
{
    private readonly List<Part> _parts = new();
    private readonly string _boundary = "specgen-" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// The parts of a generated model, written as JSON with <paramref name="write"/>: each member
    /// is one part, an array one part per item (repeating the name). A file is a file part; a
    /// string, number or boolean a text part (without a content type, as browsers send fields);
    /// an object a JSON part; a null is left out.
    /// </summary>
    /// <param name="value">The body.</param>
    /// <param name="write">Its generated JSON writer.</param>
    /// <param name="encodings">The spec's <c>encoding</c>: a content type per member.</param>
    /// <exception cref="ArgumentException">The body is not an object, or it holds a file deeper than a member or an array item.</exception>
    public static MultipartBody FromJson<T>(T value, Action<Utf8JsonWriter, T> write, IReadOnlyList<FieldEncoding>? encodings = null)
    {
        JsonElement json;
        using FileUpload.Capture files = FileUpload.BeginCapture();
        json = ValueEncoding.ToJson(value, write);
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A multipart body must be an object, not {json.ValueKind}.", nameof(value));
        }

        var body = new MultipartBody();
        foreach (JsonProperty member in json.EnumerateObject())
        {
            string? contentType = ValueEncoding.FindEncoding(encodings, member.Name)?.ContentType;
            if (member.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in member.Value.EnumerateArray())
                {
                    body.AddValue(member.Name, item, contentType, files);
                }
            }
            else
            {
                body.AddValue(member.Name, member.Value, contentType, files);
            }
        }

        return body;
    }

    /// <summary>Adds a text field (sent without a content type).</summary>
    public MultipartBody AddText(string name, string value)
    {
        _parts.Add(new Part(name, Encoding.UTF8.GetBytes(value ?? throw new ArgumentNullException(nameof(value))), null, null));
        return this;
    }

    /// <summary>Adds a field holding JSON text, sent as <c>application/json</c>.</summary>
    public MultipartBody AddJson(string name, string json)
    {
        _parts.Add(new Part(name, Encoding.UTF8.GetBytes(json ?? throw new ArgumentNullException(nameof(json))), "application/json", null));
        return this;
    }

    /// <summary>Adds a file; <paramref name="contentType"/> is used when the file names none.</summary>
    public MultipartBody AddFile(string name, FileUpload file, string? contentType = null)
    {
        _parts.Add(new Part(name, null, contentType, file ?? throw new ArgumentNullException(nameof(file))));
        return this;
    }

    /// <summary>Whether the body has no part.</summary>
    public bool IsEmpty => _parts.Count == 0;

    /// <summary>The content of one try.</summary>
    internal HttpContent CreateContent()
    {
        var content = new MultipartFormDataContent(_boundary);
        foreach (Part part in _parts)
        {
            HttpContent partContent;
            if (part.File is { } file)
            {
                partContent = file.CreateContent(part.ContentType, part.Name);
                partContent.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
                {
                    Name = Quote(part.Name),
                    FileName = Quote(file.FileNameOr(part.Name)),
                };
            }
            else
            {
                partContent = new ByteArrayContent(part.Bytes!);
                if (part.ContentType is { } type)
                {
                    partContent.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
                }

                partContent.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quote(part.Name) };
            }

            content.Add(partContent);
        }

        return content;
    }

    private void AddValue(string name, JsonElement value, string? contentType, FileUpload.Capture files)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.String when files.TryGet(value.GetString()!, out FileUpload file):
                AddFile(name, file, contentType);
                return;
            case JsonValueKind.Object or JsonValueKind.Array:
            {
                string json = value.GetRawText();
                if (files.Contains(json))
                {
                    throw new ArgumentException($"The multipart member '{name}' holds a file inside an object or a nested array; only a member or an array item can be a file.");
                }

                AddJson(name, json);
                return;
            }

            default:
                if (contentType is { } type && IsJson(type))
                {
                    AddJson(name, value.GetRawText());
                }
                else
                {
                    AddText(name, ValueEncoding.Text(value)!);
                }

                return;
        }
    }

    private static bool IsJson(string contentType)
    {
        string type = contentType.Split(';')[0].Trim();
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    // RFC 7578 names are quoted strings; a quote or backslash inside is escaped.
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private sealed record Part(string Name, byte[]? Bytes, string? ContentType, FileUpload? File);
}
