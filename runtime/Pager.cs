using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// Walks a paged list page by page, yielding items as each page arrives and fetching the next page
/// only when the caller gets there: what generated <c>…AutoPagingAsync</c> methods return.
/// </summary>
/// <remarks>
/// One method per way an API says where the next page is: a cursor (or the last item's id) sent
/// back as a parameter, a link to the next page (in the body or an RFC 8288 <c>Link</c> header),
/// an offset, or a page number. A walk ends when the server says there is nothing more, and also
/// when it hands back a cursor or link the walk already followed: a server that loops must not
/// make the client ask for the same pages forever.
/// </remarks>
public static class Pager
{
    /// <summary>Follows a cursor: each page names the cursor of the next, which goes back as a parameter.</summary>
    /// <param name="fetchPage">Fetches the page at the given cursor (<see langword="null"/>: the first page, as the caller asked).</param>
    /// <param name="describe">Reads the items of a page and the cursor of the next one (<see langword="null"/> or empty: the last page).</param>
    /// <param name="firstCursor">The cursor of the first request, the caller's own.</param>
    /// <param name="cancellationToken">Stops the walk between and during requests.</param>
    public static async IAsyncEnumerable<TItem> ByCursorAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, (IList<TItem>? Items, string? Next)> describe,
        string? firstCursor,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Required(fetchPage, nameof(fetchPage));
        Required(describe, nameof(describe));
        string? cursor = firstCursor;
        HashSet<string>? followed = null;
        while (true)
        {
            TPage page = await fetchPage(cursor, cancellationToken).ConfigureAwait(false);
            (IList<TItem>? items, string? next) = describe(page);
            if (items is not null)
            {
                foreach (TItem item in items)
                {
                    yield return item;
                }
            }

            if (string.IsNullOrEmpty(next) || !FirstTime(ref followed, firstCursor, next!))
            {
                yield break;
            }

            cursor = next;
        }
    }

    /// <summary>
    /// The cursor after a page of a <c>has_more</c> list (OpenAI's <c>after</c>, Stripe's
    /// <c>starting_after</c>): <paramref name="lastId"/> while the page says there is more and has items.
    /// </summary>
    public static string? After<TItem>(bool? hasMore, IList<TItem>? items, string? lastId) =>
        hasMore is true && items is { Count: > 0 } ? lastId : null;

    /// <summary>The cursor after a page of a <c>has_more</c> list whose cursor is the id of its last item.</summary>
    public static string? AfterLast<TItem>(bool? hasMore, IList<TItem>? items, Func<TItem, string?> id)
    {
        Required(id, nameof(id));
        return hasMore is true && items is { Count: > 0 } ? id(items[items.Count - 1]) : null;
    }

    /// <summary>
    /// Follows links: each page gives the URL of the next (in its body or its <c>Link</c> header),
    /// which is requested as it is, with the first request's credentials and header parameters.
    /// </summary>
    /// <param name="pipeline">The client's pipeline.</param>
    /// <param name="firstRequest">The request of the first page.</param>
    /// <param name="readPage">The generated reader of a page's body.</param>
    /// <param name="describe">Reads the items of a page and the link to the next one (<see langword="null"/> or empty: the last page); <see cref="NextLink"/> reads the header.</param>
    /// <param name="options">Settings for every page's call.</param>
    /// <param name="cancellationToken">Stops the walk between and during requests.</param>
    /// <remarks>
    /// A relative link is resolved against the URL of the page that gave it. A link to another
    /// origin (scheme, host or port) ends the walk with an <see cref="InvalidOperationException"/>:
    /// the client's credentials are not sent anywhere the caller did not configure.
    /// </remarks>
    public static async IAsyncEnumerable<TItem> ByLinkAsync<TPage, TItem>(
        ApiPipeline pipeline,
        ApiRequest firstRequest,
        JsonValueReader<TPage> readPage,
        Func<ApiResponse<TPage>, (IList<TItem>? Items, string? NextLink)> describe,
        RequestOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Required(pipeline, nameof(pipeline));
        Required(firstRequest, nameof(firstRequest));
        Required(readPage, nameof(readPage));
        Required(describe, nameof(describe));
        ApiRequest request = firstRequest;
        HashSet<string>? followed = null;
        while (true)
        {
            ApiResponse<TPage> response = await pipeline.SendAsync(request, readPage, options, cancellationToken).ConfigureAwait(false);
            (IList<TItem>? items, string? link) = describe(response);
            if (items is not null)
            {
                foreach (TItem item in items)
                {
                    yield return item;
                }
            }

            if (string.IsNullOrEmpty(link))
            {
                yield break;
            }

            string next = Resolve(link!, (response.Headers as ResponseHeaders)?.RequestUri, firstRequest.OperationId);
            if (!FirstTime(ref followed, null, next))
            {
                yield break;
            }

            request = firstRequest.FollowLink(next);
        }
    }

    /// <summary>
    /// The target of the RFC 8288 link whose relation is <c>next</c> in the response's <c>Link</c>
    /// header (GitHub's paging), or <see langword="null"/> when there is none.
    /// </summary>
    public static string? NextLink(ApiResponse response)
    {
        Required(response, nameof(response));
        return response.Headers.TryGetValue("Link", out string? header) ? LinkHeader.Target(header, "next") : null;
    }

    /// <summary>
    /// Moves by offset: each page starts where the last one ended, until a page comes back empty
    /// or the offset reaches the total the server gives.
    /// </summary>
    /// <param name="fetchPage">Fetches the page at the given offset.</param>
    /// <param name="describe">Reads the items of a page and, when the API gives it, the total number of items.</param>
    /// <param name="firstOffset">The offset of the first request, the caller's own.</param>
    /// <param name="cancellationToken">Stops the walk between and during requests.</param>
    public static async IAsyncEnumerable<TItem> ByOffsetAsync<TPage, TItem>(
        Func<long, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, (IList<TItem>? Items, long? Total)> describe,
        long firstOffset,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Required(fetchPage, nameof(fetchPage));
        Required(describe, nameof(describe));
        long offset = firstOffset;
        while (true)
        {
            TPage page = await fetchPage(offset, cancellationToken).ConfigureAwait(false);
            (IList<TItem>? items, long? total) = describe(page);
            int count = items?.Count ?? 0;
            for (int i = 0; i < count; i++)
            {
                yield return items![i];
            }

            offset += count;
            if (count == 0 || offset >= total)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Moves by page number, until a page comes back empty or the walk reaches the number of pages
    /// (or of items) the server gives.
    /// </summary>
    /// <param name="fetchPage">Fetches the page with the given number.</param>
    /// <param name="describe">Reads the items of a page and, when the API gives them, the number of pages and of items.</param>
    /// <param name="firstPage">The number of the first request, the caller's own.</param>
    /// <param name="numberOfFirstPage">How the API numbers its first page: 1, or 0.</param>
    /// <param name="cancellationToken">Stops the walk between and during requests.</param>
    /// <remarks>
    /// A total of items is turned into pages with the size of the first page of the walk; a walk
    /// that starts at a page the API filled differently ends one empty page later, nothing lost.
    /// </remarks>
    public static async IAsyncEnumerable<TItem> ByPageNumberAsync<TPage, TItem>(
        Func<long, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, (IList<TItem>? Items, long? TotalPages, long? TotalItems)> describe,
        long firstPage,
        long numberOfFirstPage,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Required(fetchPage, nameof(fetchPage));
        Required(describe, nameof(describe));
        long number = firstPage;
        long pageSize = 0;
        long itemsSoFar = 0;
        while (true)
        {
            TPage page = await fetchPage(number, cancellationToken).ConfigureAwait(false);
            (IList<TItem>? items, long? totalPages, long? totalItems) = describe(page);
            int count = items?.Count ?? 0;
            for (int i = 0; i < count; i++)
            {
                yield return items![i];
            }

            if (pageSize == 0)
            {
                // The pages before the walk's first are taken to be as full as it is.
                pageSize = count;
                itemsSoFar = (firstPage - numberOfFirstPage) * count;
            }

            itemsSoFar += count;
            long pagesSoFar = number - numberOfFirstPage + 1;
            if (count == 0 || pagesSoFar >= totalPages || itemsSoFar >= totalItems)
            {
                yield break;
            }

            number++;
        }
    }

    /// <summary>Whether <paramref name="url"/> already has the (escaped) query parameter <paramref name="name"/>.</summary>
    internal static bool LinkHasParameter(string url, string name)
    {
        int question = url.IndexOf('?');
        if (question < 0)
        {
            return false;
        }

        int fragment = url.IndexOf('#', question);
        int end = fragment < 0 ? url.Length : fragment;
        int start = question + 1;
        while (start < end)
        {
            int ampersand = url.IndexOf('&', start, end - start);
            int stop = ampersand < 0 ? end : ampersand;
            int equals = url.IndexOf('=', start, stop - start);
            int nameEnd = equals < 0 ? stop : equals;
            if (nameEnd - start == name.Length && string.CompareOrdinal(url, start, name, 0, name.Length) == 0)
            {
                return true;
            }

            start = stop + 1;
        }

        return false;
    }

    private static string Resolve(string link, Uri? page, string operationId)
    {
        if (Uri.TryCreate(link, UriKind.Absolute, out Uri? absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
        {
            if (page is not null && Uri.Compare(absolute, page, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw new InvalidOperationException(
                    $"The next page of '{operationId}' is linked at another origin ({absolute.GetLeftPart(UriPartial.Authority)}, not {page.GetLeftPart(UriPartial.Authority)}); " +
                    "the walk stops there rather than send the client's credentials to it.");
            }

            return link;
        }

        if (page is null || !Uri.TryCreate(page, link, out Uri? resolved))
        {
            throw new InvalidOperationException($"The next-page link of '{operationId}' ('{link}') is neither an absolute http(s) URL nor a reference relative to the page's own URL.");
        }

        return resolved.AbsoluteUri;
    }

    private static bool FirstTime(ref HashSet<string>? followed, string? first, string next)
    {
        if (followed is null)
        {
            followed = new HashSet<string>(StringComparer.Ordinal);
            if (!string.IsNullOrEmpty(first))
            {
                followed.Add(first!);
            }
        }

        return followed.Add(next);
    }

    private static void Required(object? argument, string name)
    {
        if (argument is null)
        {
            throw new ArgumentNullException(name);
        }
    }
}
