using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Specgen.Runtime;

// The path and query are kept as the pieces they were given in (literals and escaped values, the
// same strings a generated client passes, so escaping-free values cost nothing), and joined once:
// into the whole URL for each try, and into Path or Query only when something asks for them.
public sealed partial class ApiRequest
{
    private PathParts _pathParts;
    private int _pathCount;
    private int _pathLength;
    private string? _path;

    // Each piece is one escaped "name=value"; the pieces are joined with '&'.
    private string[]? _queryParts;
    private int _queryCount;
    private int _queryLength;
    private string? _query;

    /// <summary>
    /// The absolute URL of a next page the server linked to (<see cref="Pager.ByLinkAsync"/>); when set, it
    /// is the whole URL of every try, in place of the base address, path and query.
    /// </summary>
    internal string? Link { get; private set; }

    /// <summary>The whole URL of a try: <paramref name="baseAddress"/>, the path and, after a <c>?</c>, the query.</summary>
    internal string Url(string baseAddress)
    {
        if (Link is { } link)
        {
            return link;
        }

        int length = baseAddress.Length + _pathLength + (_queryCount == 0 ? 0 : _queryLength + _queryCount);
        return string.Create(length, (Request: this, Base: baseAddress), static (destination, state) =>
        {
            state.Base.AsSpan().CopyTo(destination);
            int written = state.Base.Length + state.Request.CopyPath(destination.Slice(state.Base.Length));
            ApiRequest request = state.Request;
            for (int i = 0; i < request._queryCount; i++)
            {
                destination[written++] = i == 0 ? '?' : '&';
                string part = request._queryParts![i];
                part.AsSpan().CopyTo(destination.Slice(written));
                written += part.Length;
            }
        });
    }

    /// <summary>Whether the request has a query string of its own.</summary>
    internal bool HasQuery => Link is { } link ? link.IndexOf('?') >= 0 : _queryCount > 0;

    /// <summary>
    /// The request for the page at <paramref name="link"/> (absolute): the same operation, method,
    /// server, security, error bodies and header parameters, sent to the link as it is.
    /// </summary>
    internal ApiRequest FollowLink(string link)
    {
        var next = new ApiRequest(Method, OperationId)
        {
            Security = Security,
            Server = Server,
            ErrorBodies = ErrorBodies,
            Link = link,
        };
        if (_headers is not null)
        {
            next._headers = new List<KeyValuePair<string, string>>(_headers);
        }

        return next;
    }

    private void AddPathPart(string? part)
    {
        if (part is not { Length: > 0 })
        {
            return;
        }

        if (_pathCount == PathParts.Length)
        {
            // A path of more pieces than the inline slots: the ones so far become one.
            string joined = Path;
            _pathParts = default;
            _pathParts[0] = joined;
            _pathCount = 1;
        }

        _pathParts[_pathCount++] = part;
        _pathLength += part.Length;
        _path = null;
    }

    private void AddQueryPart(string part)
    {
        if (_queryParts is null)
        {
            _queryParts = new string[4];
        }
        else if (_queryCount == _queryParts.Length)
        {
            Array.Resize(ref _queryParts, _queryParts.Length * 2);
        }

        _queryParts[_queryCount++] = part;
        _queryLength += part.Length;
        _query = null;
    }

    private int CopyPath(Span<char> destination)
    {
        int written = 0;
        for (int i = 0; i < _pathCount; i++)
        {
            string part = _pathParts[i];
            part.AsSpan().CopyTo(destination.Slice(written));
            written += part.Length;
        }

        return written;
    }

    private string JoinPath() =>
        _pathCount switch
        {
            0 => string.Empty,
            1 => _pathParts[0],
            _ => string.Create(_pathLength, this, static (destination, request) => request.CopyPath(destination)),
        };

    private string JoinQuery() => _queryCount == 0 ? string.Empty : string.Join('&', _queryParts!, 0, _queryCount);

    // Room for /threads/{thread_id}/runs/{run_id}/steps/{step_id} and more, inside the request object.
#if NET
    [InlineArray(Length)]
    private struct PathParts
    {
        public const int Length = 8;

        private string _element;
    }
#else
    // No inline arrays before .NET 8: the same slots in an array of their own.
    private struct PathParts
    {
        public const int Length = 8;

        private string[]? _elements;

        public ref string this[int index] => ref (_elements ??= new string[Length])[index];
    }
#endif
}
