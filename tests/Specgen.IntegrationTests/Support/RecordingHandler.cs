using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.IntegrationTests.Support;

/// <summary>
/// Records every request that leaves a generated client: method, the exact URL, headers and body
/// bytes. Either it sits between the client and the socket (<see cref="RecordingHandler()"/>), or
/// it answers every request itself with a canned response and nothing reaches a network
/// (<see cref="RecordingHandler(Func{HttpResponseMessage})"/>, <see cref="Answering"/>). A count of
/// zero proves that nothing was sent. Shared by the integration and the generator tests.
/// </summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly object _gate = new();
    private readonly List<SentRequest> _requests = new();
    private readonly Func<HttpResponseMessage>? _respond;

    /// <summary>A handler that answers every request with what <paramref name="respond"/> returns; nothing is sent.</summary>
    public RecordingHandler(Func<HttpResponseMessage> respond)
    {
        _respond = respond;
    }

    /// <summary>A handler that passes every request on to the socket.</summary>
    public RecordingHandler()
        : base(new SocketsHttpHandler
        {
            // As the README advises for your own HttpClient: a stream left early closes its
            // connection at once instead of being drained for up to 2 s.
            MaxResponseDrainSize = 0,
        })
    {
    }

    /// <summary>Every request sent so far, in order (a snapshot).</summary>
    public IReadOnlyList<SentRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The single request sent so far; fails when there were none or several.</summary>
    public SentRequest Single() => Assert.Single(Requests);

    /// <summary>The last request sent.</summary>
    public SentRequest Last => Requests[^1];

    /// <summary>Answers every request with <paramref name="status"/> and, when given, a body of <paramref name="contentType"/>; nothing is sent.</summary>
    public static RecordingHandler Answering(HttpStatusCode status = HttpStatusCode.OK, string? body = null, string contentType = "application/json") =>
        new(() => new HttpResponseMessage(status) { Content = body is null ? new ByteArrayContent(Array.Empty<byte>()) : new StringContent(body, Encoding.UTF8, contentType) });

    /// <summary>Answers every request with <paramref name="body"/> as bytes of <paramref name="contentType"/>; nothing is sent.</summary>
    public static RecordingHandler AnsweringBytes(byte[] body, string contentType) =>
        new(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

    /// <summary>Forgets what was recorded (for example after a test's setup requests).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[]? body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers)
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        if (request.Content is not null)
        {
            foreach (KeyValuePair<string, IEnumerable<string>> header in request.Content.Headers)
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }
        }

        var sent = new SentRequest(request.Method.Method, request.RequestUri!, headers, body);
        lock (_gate)
        {
            _requests.Add(sent);
        }

        return _respond is { } respond ? respond() : await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>One request as it left the client.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The request URI, as built by the client (its escaping intact).</param>
/// <param name="Headers">Request and content headers; names compare case-insensitively.</param>
/// <param name="BodyBytes">The body as sent, or <see langword="null"/> when the request had no content.</param>
public sealed record SentRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[]? BodyBytes)
{
    /// <summary>The body as UTF-8 text, or <see langword="null"/> when the request had no content.</summary>
    public string? Body => BodyBytes is null ? null : Encoding.UTF8.GetString(BodyBytes);

    /// <summary>The body as UTF-8 text; empty when the request had no content.</summary>
    public string BodyText => Body ?? string.Empty;

    /// <summary>The path and query exactly as they go on the request line (still escaped).</summary>
    public string PathAndQuery
    {
        get
        {
            // The pipeline builds its URIs without canonicalization, so the original text is what was sent.
            string text = Uri.OriginalString;
            int authority = text.IndexOf("://", StringComparison.Ordinal) + 3;
            int path = text.IndexOf('/', authority);
            return path < 0 ? "/" : text.Substring(path);
        }
    }

    /// <summary>Whether this is a <c>listMessages</c> page request.</summary>
    public bool IsListMessages => Method == "GET" && Uri.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal);

    /// <summary>The query's name-value pairs in the order sent, unescaped.</summary>
    public (string Name, string Value)[] QueryPairs() =>
        Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""))
            .ToArray();

    /// <summary>The value of a header, or <see langword="null"/> when it was not sent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The names of the top-level members of the JSON body, sorted.</summary>
    public string[] BodyMemberNames()
    {
        Assert.NotNull(Body);
        using var document = System.Text.Json.JsonDocument.Parse(Body!);
        return document.RootElement.EnumerateObject().Select(member => member.Name).Order(StringComparer.Ordinal).ToArray();
    }
}
