using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Generator.Tests;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that records every request as it would go on the wire
/// (method, URI, headers, body bytes) and answers with one canned response.
/// </summary>
internal sealed class RecordingHandler(Func<HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly List<RecordedCall> _calls = new();

    public IReadOnlyList<RecordedCall> Calls => _calls;

    public RecordedCall Last => _calls[^1];

    /// <summary>Answers every request with <paramref name="status"/> and, when given, a body of <paramref name="contentType"/>.</summary>
    public static RecordingHandler Answering(HttpStatusCode status = HttpStatusCode.OK, string? body = null, string contentType = "application/json") =>
        new(() => new HttpResponseMessage(status) { Content = body is null ? new ByteArrayContent(Array.Empty<byte>()) : new StringContent(body, Encoding.UTF8, contentType) });

    /// <summary>Answers every request with <paramref name="body"/> as bytes of <paramref name="contentType"/>.</summary>
    public static RecordingHandler AnsweringBytes(byte[] body, string contentType) =>
        new(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? Array.Empty<byte>() : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        _calls.Add(new RecordedCall(request.Method.Method, request.RequestUri!, headers, body));
        return respond();
    }
}

/// <summary>One request as the handler saw it.</summary>
internal sealed record RecordedCall(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The path and query as sent (still escaped).</summary>
    public string PathAndQuery
    {
        get
        {
            // The pipeline builds its URIs without canonicalization, so only the original text is available.
            string text = Uri.OriginalString;
            int authority = text.IndexOf("://", StringComparison.Ordinal) + 3;
            int path = text.IndexOf('/', authority);
            return path < 0 ? "/" : text.Substring(path);
        }
    }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
