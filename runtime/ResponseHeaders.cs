using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;

namespace Specgen.Runtime;

/// <summary>
/// A response's headers (its own and its content's, without <c>Set-Cookie</c>) as the dictionary
/// <see cref="ApiResponse.Headers"/> promises, copied out of the response only when first read.
/// </summary>
/// <remarks>
/// Most calls never read a header, so the copy (a dictionary and a joined string per header) is
/// left until someone does. The header collections outlive the disposed response: disposing it
/// releases the body and the connection, not the headers. Reads are safe from any thread.
/// </remarks>
internal sealed class ResponseHeaders : IReadOnlyDictionary<string, string>
{
    private const string RequestIdHeader = "x-request-id";

    private readonly HttpResponseHeaders _response;
    private readonly HttpContentHeaders _content;
    private Dictionary<string, string>? _copy;

    public ResponseHeaders(HttpResponseMessage response)
    {
        _response = response.Headers;
        _content = response.Content.Headers;
        RequestUri = response.RequestMessage?.RequestUri;
    }

    /// <summary>The URL the response answered (after any redirects): what a relative next-page link is resolved against.</summary>
    public Uri? RequestUri { get; }

    /// <summary>The <c>x-request-id</c> header, read without copying the rest.</summary>
    public string? RequestId
    {
        get
        {
            // HttpHeaders are not safe to read while another thread parses them (the copy does).
            lock (this)
            {
                if (_copy is not null)
                {
                    return _copy.TryGetValue(RequestIdHeader, out string? copied) ? copied : null;
                }

                // A custom header is never parsed, so its raw values are what the copy would hold.
#if NET
                return _response.NonValidated.TryGetValues(RequestIdHeader, out HeaderStringValues values) ? values.ToString() : null;
#else
                return _response.TryGetValues(RequestIdHeader, out IEnumerable<string>? values) ? string.Join(", ", values) : null;
#endif
            }
        }
    }

    public int Count => Copy.Count;

    public IEnumerable<string> Keys => Copy.Keys;

    public IEnumerable<string> Values => Copy.Values;

    public string this[string key] => Copy[key];

    public bool ContainsKey(string key) => Copy.ContainsKey(key);

#if NET
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Copy.TryGetValue(key, out value);
#else
    // .NET Standard's interface is not annotated, and the compiler holds the attribute against it.
    public bool TryGetValue(string key, out string value) => Copy.TryGetValue(key, out value);
#endif

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Copy.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<string, string> Copy
    {
        get
        {
            if (Volatile.Read(ref _copy) is { } copy)
            {
                return copy;
            }

            lock (this)
            {
                return _copy ??= Collect();
            }
        }
    }

    private Dictionary<string, string> Collect()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(_response);
        Add(_content);
        return headers;

        void Add(HttpHeaders source)
        {
            foreach (KeyValuePair<string, IEnumerable<string>> header in source)
            {
                // Cookies are credentials; they never leave the pipeline.
                if (string.Equals(header.Key, "Set-Cookie", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                headers[header.Key] = string.Join(", ", header.Value);
            }
        }
    }
}
