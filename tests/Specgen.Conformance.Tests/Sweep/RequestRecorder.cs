using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Conformance.Tests.Sweep;

/// <summary>
/// Keeps the last request the client sent (method, target, headers, the start of the body), so
/// that a failure can be checked against what was on the wire. Credentials are kept out.
/// </summary>
internal sealed class RequestRecorder() : DelegatingHandler(new SocketsHttpHandler { ConnectTimeout = System.TimeSpan.FromSeconds(10) })
{
    private const int MaxBody = 600;

    private static readonly string[] Secret = ["Authorization", "Cookie", "Proxy-Authorization"];

    /// <summary>The last request, or null before the first (or after <see cref="Clear"/>).</summary>
    public string? Last { get; private set; }

    public void Clear() => Last = null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string headers = string.Join("; ", request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<System.Collections.Generic.KeyValuePair<string, System.Collections.Generic.IEnumerable<string>>>())
            .Select(h => $"{h.Key}: {(Secret.Contains(h.Key, System.StringComparer.OrdinalIgnoreCase) ? "(set)" : string.Join(",", h.Value))}"));
        string body = string.Empty;
        if (request.Content is { } content)
        {
            // Buffered so that the text can be read here and the bytes still sent.
            await content.LoadIntoBufferAsync(cancellationToken);
            string text = await content.ReadAsStringAsync(cancellationToken);
            body = " body: " + (text.Length > MaxBody ? text.Substring(0, MaxBody) + "..." : text);
        }

        Last = $"{request.Method} {request.RequestUri?.PathAndQuery} [{headers}]{body}";
        return await base.SendAsync(request, cancellationToken);
    }
}
