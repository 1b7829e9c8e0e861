using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// Walks a cursor-paged list (the <c>data</c> / <c>has_more</c> / <c>last_id</c> + <c>after</c> shape)
/// page by page, yielding items as each page arrives.
/// </summary>
public static class CursorPager
{
    /// <summary>Yields every item of every page, fetching the next page only when the caller gets there.</summary>
    /// <param name="fetchPage">Fetches the page after the given cursor (<see langword="null"/> for the first page).</param>
    /// <param name="describe">Reads the items, the has-more flag and the last id of a page.</param>
    /// <param name="firstCursor">The cursor of the first request, usually the caller's <c>after</c>.</param>
    /// <param name="cancellationToken">Stops the walk between and during requests.</param>
    public static async IAsyncEnumerable<TItem> EnumerateAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, (IList<TItem>? Items, bool HasMore, string? LastId)> describe,
        string? firstCursor,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = firstCursor;
        var seenCursors = new HashSet<string>(StringComparer.Ordinal);
        if (firstCursor is not null)
        {
            seenCursors.Add(firstCursor);
        }

        while (true)
        {
            TPage page = await fetchPage(cursor, cancellationToken).ConfigureAwait(false);
            (IList<TItem>? pageItems, bool hasMore, string? lastId) = describe(page);
            IList<TItem> items = pageItems ?? Array.Empty<TItem>();
            foreach (TItem item in items)
            {
                yield return item;
            }

            // A server that says "more" but hands back a cursor we already followed (the same one,
            // or a cycle of them) would make us ask for the same pages forever; stop instead.
            if (!hasMore || items.Count == 0 || string.IsNullOrEmpty(lastId) || !seenCursors.Add(lastId!))
            {
                yield break;
            }

            cursor = lastId;
        }
    }
}
