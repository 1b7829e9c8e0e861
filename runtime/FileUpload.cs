using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// A file to send: the bytes (a stream or an array), and optionally its file name and content
/// type. Generated code uses it for every <c>format: binary</c> value: a file part of a
/// <c>multipart/form-data</c> body, or a whole binary body.
/// </summary>
/// <remarks>
/// <para>
/// The stream is read when the request is sent and is never disposed by Specgen. A seekable
/// stream (a <see cref="FileStream"/>, a <see cref="MemoryStream"/>) is rewound for each try, so
/// retries send it again. A stream that cannot seek is sent once: a retry after it has been read
/// throws <see cref="InvalidOperationException"/> (set <see cref="ApiClientOptions.MaxRetries"/> to
/// 0, or buffer it, for such streams).
/// </para>
/// <para>
/// Without a <see cref="FileName"/>, a <see cref="FileStream"/>'s own file name is used, else the
/// name of the field. Without a <see cref="ContentType"/>, the one the spec declares for the
/// field, else <c>application/octet-stream</c>.
/// </para>
/// </remarks>
public sealed class FileUpload
{
    [ThreadStatic]
    private static Capture? t_capture;

    private readonly byte[]? _bytes;
    private long? _start;
    private bool _read;

    /// <summary>A file whose bytes are read from <paramref name="content"/> when the request is sent.</summary>
    /// <exception cref="ArgumentException">The stream cannot be read.</exception>
    public FileUpload(Stream content, string? fileName = null, string? contentType = null)
    {
        Content = content ?? throw new ArgumentNullException(nameof(content));
        if (!content.CanRead)
        {
            throw new ArgumentException("The stream of a file to upload must be readable.", nameof(content));
        }

        FileName = fileName;
        ContentType = contentType;
    }

    /// <summary>A file made of <paramref name="bytes"/>.</summary>
    public FileUpload(byte[] bytes, string? fileName = null, string? contentType = null)
        : this(new MemoryStream(bytes ?? throw new ArgumentNullException(nameof(bytes)), writable: false), fileName, contentType)
    {
        _bytes = bytes;
    }

    /// <summary>The bytes to send.</summary>
    public Stream Content { get; }

    /// <summary>The file name sent with a multipart part; see the remarks for the default.</summary>
    public string? FileName { get; }

    /// <summary>The content type sent; see the remarks for the default.</summary>
    public string? ContentType { get; }

    /// <summary>A file read from <paramref name="content"/>, with no name or type of its own.</summary>
    public static implicit operator FileUpload(Stream content) => new(content);

    /// <summary>A file made of <paramref name="bytes"/>, with no name or type of its own.</summary>
    public static implicit operator FileUpload(byte[] bytes) => new(bytes);

    /// <summary>The file name to send: <see cref="FileName"/>, a <see cref="FileStream"/>'s name, else <paramref name="fieldName"/>.</summary>
    public string FileNameOr(string fieldName) =>
        FileName ?? (Content is FileStream { Name: { Length: > 0 } path } ? Path.GetFileName(path) : fieldName);

    /// <summary>
    /// Reads a file from JSON, where the spec puts a <c>format: binary</c> string: base64 text is
    /// decoded, any other text is taken as its UTF-8 bytes.
    /// </summary>
    public static FileUpload ReadJson(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for a file but found {reader.TokenType}.");
        }

        return reader.TryGetBytesFromBase64(out byte[]? bytes) ? new FileUpload(bytes!) : new FileUpload(Encoding.UTF8.GetBytes(reader.GetString()!));
    }

    /// <summary>
    /// Writes a file as JSON: inside <see cref="MultipartBody.FromJson"/>, a marker that the part
    /// it becomes replaces; anywhere else, its bytes in base64.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter writer, FileUpload value)
    {
        if (t_capture is { } capture)
        {
            writer.WriteStringValue(capture.Register(value));
            return;
        }

        writer.WriteBase64StringValue(value.ReadAllForJson());
    }

    /// <summary>Starts collecting the files written as JSON on this thread, until the result is disposed.</summary>
    internal static Capture BeginCapture() => t_capture = new Capture();

    /// <summary>The content of one try.</summary>
    /// <param name="fallbackContentType">The spec's content type for this file, used when the file has none of its own.</param>
    /// <param name="field">The field's name, for the error message.</param>
    internal HttpContent CreateContent(string? fallbackContentType, string field)
    {
        HttpContent content;
        if (_bytes is not null)
        {
            content = new ByteArrayContent(_bytes);
        }
        else
        {
            Rewind(field);
            content = new StreamContent(new LeaveOpenStream(Content));
        }

        string type = ContentType ?? (IsConcrete(fallbackContentType) ? fallbackContentType! : "application/octet-stream");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    // `image/*`, `*/*` or several types joined describe what is allowed, not what this file is.
    private static bool IsConcrete(string? contentType) =>
        contentType is { Length: > 0 } && contentType.IndexOf('*') < 0 && contentType.IndexOf(',') < 0;

    private void Rewind(string field)
    {
        if (Content.CanSeek)
        {
            _start ??= Content.Position;
            Content.Position = _start.Value;
        }
        else if (_read)
        {
            throw new InvalidOperationException(
                $"The stream of '{field}' was sent on an earlier try and cannot be rewound for a retry. Pass a seekable stream (a FileStream or a MemoryStream), or set MaxRetries to 0.");
        }

        _read = true;
    }

    private byte[] ReadAllForJson()
    {
        if (_bytes is not null)
        {
            return _bytes;
        }

        Rewind("file");
        using var buffer = new MemoryStream();
        Content.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The files written as JSON during one <see cref="MultipartBody.FromJson"/>, each as a unique marker string.</summary>
    internal sealed class Capture : IDisposable
    {
        private readonly string _prefix = "\uE000specgen-file-" + Guid.NewGuid().ToString("N") + "-";
        private readonly List<FileUpload> _files = new();

        public string Register(FileUpload file)
        {
            _files.Add(file);
            return _prefix + (_files.Count - 1).ToString(CultureInfo.InvariantCulture);
        }

        public bool TryGet(string text, out FileUpload file)
        {
            file = null!;
            if (!text.StartsWith(_prefix, StringComparison.Ordinal)
                || !int.TryParse(text.AsSpan(_prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index >= _files.Count)
            {
                return false;
            }

            file = _files[index];
            return true;
        }

        public bool Contains(string json) => json.Contains(_prefix.Substring(1), StringComparison.Ordinal);

        public void Dispose()
        {
            if (ReferenceEquals(t_capture, this))
            {
                t_capture = null;
            }
        }
    }

    /// <summary>A read-only view that leaves the caller's stream open when the request is disposed.</summary>
    private sealed class LeaveOpenStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

#if NET
        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);
#endif

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
