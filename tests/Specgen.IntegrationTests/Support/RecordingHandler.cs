using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.IntegrationTests.Support;

/// <summary>
/// Sits between the generated client and the socket and records every request that leaves:
/// method, the exact URL, headers and body. A count of zero proves that nothing was sent.
/// </summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly object _gate = new();
    private readonly List<SentRequest> _requests = new();

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
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
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

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>One request as it left the client.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The request URI, as built by the client (its escaping intact).</param>
/// <param name="Headers">Request and content headers; names compare case-insensitively.</param>
/// <param name="Body">The body text, or <see langword="null"/> when the request had no content.</param>
public sealed record SentRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    /// <summary>The path and query exactly as they go on the request line.</summary>
    public string PathAndQuery => Uri.PathAndQuery;

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
