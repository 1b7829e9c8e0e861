using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

// The HttpRequestMessage of one try: URL, credentials, headers, idempotency key and content.
public sealed partial class ApiPipeline
{
    // The headers HttpClient keeps on the content rather than the request.
    private static readonly HashSet<string> ContentHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Location", "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    private string? IdempotencyKeyFor(ApiRequest request, RequestOptions? options)
    {
        if (_idempotencyHeader is null || request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options)
        {
            return null;
        }

        // Generated once per call, so that every retry of it carries the same key.
        return options?.IdempotencyKey ?? "specgen-" + Guid.NewGuid().ToString("D");
    }
    // The message of one try. Credentials are added first, so that a header the caller sets for the
    // call (RequestOptions.Headers) replaces one of them; a query key goes after the operation's own
    // query and before the caller's extra parameters.
    private HttpRequestMessage BuildMessage(in Call call, int retriesTaken, string? bearer)
    {
        ApiRequest request = call.Request;
        RequestOptions? options = call.Options;
        SecurityRequirement? requirement = call.Requirement;
        string url = request.Url(call.Server.Root);
        bool queryKey = requirement is not null && Authenticator.HasQueryKey(requirement);
        if (options is { QueryParameters.Count: > 0 } || queryKey)
        {
            var withExtra = new StringBuilder(url);
            char separator = request.HasQuery ? '&' : '?';
            if (queryKey)
            {
                _auth.AppendQueryKeys(requirement!, withExtra, ref separator, options);
            }

            foreach (KeyValuePair<string, string> pair in options?.QueryParameters ?? Array.Empty<KeyValuePair<string, string>>())
            {
                // A server's next-page link usually carries the query of the first page along;
                // a parameter it already has is not added a second time.
                if (request.Link is not null && Pager.LinkHasParameter(url, Uri.EscapeDataString(pair.Key)))
                {
                    continue;
                }

                withExtra.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }

            url = withExtra.ToString();
        }

#if NET
        var message = new HttpRequestMessage(request.Method, new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
#else
        var message = new HttpRequestMessage(request.Method, new Uri(url));
#endif
        // Fixed header values go in as text: a parsed header value costs objects on every call, and
        // a handler that reads one (request.Headers.Accept) still gets it parsed.
        if (requirement is not null)
        {
            _auth.AddHeaders(message, requirement, bearer);
        }
        else if (request.Security is null && _auth.UndeclaredAuthorization is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        foreach (KeyValuePair<string, string> header in _defaultHeaders)
        {
            if (options is null || !options.Headers.ContainsKey(header.Key))
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        List<KeyValuePair<string, string>>? contentHeaders = null;
        foreach (KeyValuePair<string, string> header in request.Headers)
        {
            // Content-Language, Content-Disposition … belong to the content, and HttpRequestHeaders
            // throws on their names: they are set once the content exists.
            if (ContentHeaderNames.Contains(header.Key))
            {
                (contentHeaders ??= new List<KeyValuePair<string, string>>()).Add(header);
                continue;
            }

            message.Headers.Remove(header.Key);
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (requirement is not null)
        {
            // After the cookie parameters, which set the Cookie header whole.
            _auth.AddCookies(message, requirement);
        }

        if (options is not null)
        {
            foreach (KeyValuePair<string, string> header in options.Headers)
            {
                HeaderGuard.EnsureNoLineBreaks(header.Key, "header name");
                HeaderGuard.EnsureNoLineBreaks(header.Value, header.Key);
                message.Headers.Remove(header.Key);
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        // The caller's own value of either header wins over ours.
        if (_retryCountHeader is not null && !message.Headers.Contains(_retryCountHeader))
        {
            message.Headers.TryAddWithoutValidation(_retryCountHeader, retriesTaken.ToString(CultureInfo.InvariantCulture));
        }

        if (call.IdempotencyKey is { } idempotencyKey && !message.Headers.Contains(_idempotencyHeader!))
        {
            message.Headers.TryAddWithoutValidation(_idempotencyHeader!, idempotencyKey);
        }

        // A fresh content over the same buffer on every try: the body is sent again intact.
        if (request.JsonBody is { } body)
        {
            var content = new ReadOnlyMemoryContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", request.JsonContentType ?? "application/json; charset=utf-8");
            message.Content = content;
        }
        else if (request.ContentFactory is { } createContent)
        {
            // Form, multipart, text and binary bodies (ApiRequest.Content.cs).
            message.Content = createContent();
        }

        if (contentHeaders is not null)
        {
            // Without a body, the headers travel on an empty content (a Content-Type some APIs insist on even for a GET).
            message.Content ??= new ByteArrayContent(Array.Empty<byte>());
            foreach (KeyValuePair<string, string> header in contentHeaders)
            {
                message.Content.Headers.Remove(header.Key);
                message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return message;
    }
}
