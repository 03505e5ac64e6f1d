using System.Runtime.CompilerServices;

namespace EventsBindings.Runtime.Paging;

/// <summary>
/// Paging strategies a contract can declare, as async streams of pages. Each page is one request through the
/// pipeline, so a failed page is retried alone and an enumeration never restarts from the beginning.
/// </summary>
public static class Pager
{
    /// <summary>
    /// Cursor paging: each page starts at a cursor taken from the previous page's last item
    /// (<see cref="CursorAdvance.LastPlusOne"/>: its cursor + 1).
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="start">The first cursor, or null for the server's default start.</param>
    /// <param name="pageSize">Items per page.</param>
    /// <param name="advance">How the next cursor follows from the last item.</param>
    /// <param name="stop">How the last page is recognised.</param>
    /// <param name="fetch">Fetches the page at a cursor with a page size.</param>
    /// <param name="cursorOf">The cursor value of an item.</param>
    /// <param name="continuationToken">A token from a previous page to resume at; overrides <paramref name="start"/>.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    /// <returns>The pages; each carries the token of the page after it.</returns>
    /// <exception cref="EventsPagingException">A full page did not move the cursor forward (the server ignores the cursor).</exception>
    public static async IAsyncEnumerable<EventsPage<T>> CursorPagesAsync<T>(
        long? start,
        int pageSize,
        CursorAdvance advance,
        PageStop stop,
        Func<long?, int, CancellationToken, Task<EventsResponse<IReadOnlyList<T>>>> fetch,
        Func<T, long> cursorOf,
        string? continuationToken,
        [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(cursorOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var cursor = continuationToken is null ? start : ContinuationToken.Parse(continuationToken, ContinuationToken.CursorKind);
        var yielded = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var result = await fetch(cursor, pageSize, ct).ConfigureAwait(false);
            var (items, response) = (result.Value, result.GetRawResponse());
            if (Json.JsonReadReport.SentCount(items) == 0)
            {
                if (!yielded)
                {
                    yield return new EventsPage<T>(items, null, response);
                }

                yield break;
            }

            if (items.Count == 0)
            {
                // Every item was set aside as unreadable: there is no item to take the next cursor from.
                throw new EventsPagingException($"Every item of the page at cursor {cursor?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(start)"} was rejected as unreadable, so the cursor cannot move forward.", cursor ?? 0);
            }

            var last = LastCursor(items, cursorOf);
            var next = advance == CursorAdvance.LastPlusOne ? checked(last + 1) : last;
            if (cursor is { } current && next <= current)
            {
                throw new EventsPagingException($"The page at cursor {current} ended at cursor {last}, which does not move forward; the server appears to ignore the cursor.", current);
            }

            var isLast = stop == PageStop.ShortPage && Json.JsonReadReport.SentCount(items) < pageSize;
            yielded = true;
            yield return new EventsPage<T>(items, isLast ? null : ContinuationToken.Create(ContinuationToken.CursorKind, next), response);
            if (isLast)
            {
                yield break;
            }

            cursor = next;
        }
    }

    /// <summary>Offset paging: skip/limit, the offset growing by the items received.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="start">The first offset.</param>
    /// <param name="pageSize">Items per page.</param>
    /// <param name="stop">How the last page is recognised.</param>
    /// <param name="fetch">Fetches the page at an offset with a page size.</param>
    /// <param name="continuationToken">A token from a previous page to resume at; overrides <paramref name="start"/>.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    /// <returns>The pages; each carries the token of the page after it.</returns>
    /// <remarks>Without an identity of items a server that ignores the offset cannot be told from one that does not; prefer the overload with <c>identityOf</c>.</remarks>
    public static IAsyncEnumerable<EventsPage<T>> OffsetPagesAsync<T>(
        long start,
        int pageSize,
        PageStop stop,
        Func<long, int, CancellationToken, Task<EventsResponse<IReadOnlyList<T>>>> fetch,
        string? continuationToken,
        CancellationToken ct)
        => OffsetPagesAsync(start, pageSize, stop, fetch, null, continuationToken, ct);

    /// <summary>
    /// Offset paging: skip/limit, the offset growing by the items received. A full page that begins and ends
    /// with the same items as the page before it (by <paramref name="identityOf"/>) did not move forward: the
    /// server ignores the offset, and the enumeration ends with an <see cref="EventsPagingException"/> instead
    /// of fetching that page forever.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="start">The first offset.</param>
    /// <param name="pageSize">Items per page.</param>
    /// <param name="stop">How the last page is recognised.</param>
    /// <param name="fetch">Fetches the page at an offset with a page size.</param>
    /// <param name="identityOf">The identity of an item (an id, or <see cref="Fingerprint{T}"/> of its JSON); null: no check.</param>
    /// <param name="continuationToken">A token from a previous page to resume at; overrides <paramref name="start"/>.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    /// <returns>The pages; each carries the token of the page after it.</returns>
    /// <exception cref="EventsPagingException">A full page repeated the page before it (the server ignores the offset).</exception>
    public static async IAsyncEnumerable<EventsPage<T>> OffsetPagesAsync<T>(
        long start,
        int pageSize,
        PageStop stop,
        Func<long, int, CancellationToken, Task<EventsResponse<IReadOnlyList<T>>>> fetch,
        Func<T, string>? identityOf,
        string? continuationToken,
        [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        var offset = continuationToken is null ? start : ContinuationToken.Parse(continuationToken, ContinuationToken.OffsetKind);
        var yielded = false;
        (string First, string Last)? previous = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var result = await fetch(offset, pageSize, ct).ConfigureAwait(false);
            var (items, response) = (result.Value, result.GetRawResponse());
            if (Json.JsonReadReport.SentCount(items) == 0)
            {
                if (!yielded)
                {
                    yield return new EventsPage<T>(items, null, response);
                }

                yield break;
            }

            if (identityOf is not null && items.Count > 0)
            {
                var ends = (identityOf(items[0]), identityOf(items[items.Count - 1]));
                if (previous == ends && items.Count >= pageSize)
                {
                    throw new EventsPagingException($"The page at offset {offset} repeats the page before it; the server appears to ignore the offset.", offset);
                }

                previous = ends;
            }

            var next = checked(offset + Json.JsonReadReport.SentCount(items));
            var isLast = stop == PageStop.ShortPage && Json.JsonReadReport.SentCount(items) < pageSize;
            yielded = true;
            yield return new EventsPage<T>(items, isLast ? null : ContinuationToken.Create(ContinuationToken.OffsetKind, next), response);
            if (isLast)
            {
                yield break;
            }

            offset = next;
        }
    }

    /// <summary>
    /// Next-link paging: the first page is the caller's request; each further page is the one the previous page
    /// names (an RFC 8288 link header, a body field holding a URL, or an opaque token sent back in a parameter).
    /// A relative link resolves against the URI of the request that returned it. A link to another origin than
    /// <paramref name="baseUri"/> is never followed (it would carry the credentials there), and a link that
    /// repeats one already followed ends the walk with an <see cref="EventsPagingException"/> instead of looping.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="baseUri">The client's base URL: every followed link must share its origin.</param>
    /// <param name="isToken">True when the server names the next page by an opaque token (sent back by the fetch) rather than a URL.</param>
    /// <param name="stop">
    /// <see cref="PageStop.Absent"/>: the walk ends at a page without a next link; <see cref="PageStop.EmptyPage"/>:
    /// also at the first empty page (servers that always name a next page, as in a polling mode).
    /// </param>
    /// <param name="fetch">Fetches the first page (null) or the page a next link (absolute URL) or token names.</param>
    /// <param name="continuationToken">A token from a previous page to resume at.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    /// <returns>The pages; each carries the token of the page after it (null on the last).</returns>
    /// <exception cref="EventsPagingException">A next link points to another origin, or repeats a link already followed on a page that was not empty.</exception>
    public static async IAsyncEnumerable<EventsPage<T>> LinkPagesAsync<T>(
        Uri baseUri,
        bool isToken,
        PageStop stop,
        Func<string?, CancellationToken, Task<LinkedPage<T>>> fetch,
        string? continuationToken,
        [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(fetch);
        var link = continuationToken is null ? null : ContinuationToken.ParseText(continuationToken, ContinuationToken.LinkKind);
        if (link is not null && !isToken)
        {
            NextLinks.CheckOrigin(new Uri(link, UriKind.Absolute), baseUri);
        }

        var followed = new HashSet<string>(StringComparer.Ordinal);
        var yielded = false;
        var repeated = new RepeatedPageCheck(); // a page repeated under a new link ends the walk too
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var page = await repeated.FetchAsync(fetch, link, ct).ConfigureAwait(false);
            var (current, next) = Step(baseUri, isToken, link, page);
            followed.Add(current);
            var empty = Json.JsonReadReport.SentCount(page.Items) == 0;
            if (empty && (stop == PageStop.EmptyPage || next is null || followed.Contains(next)))
            {
                // An empty page ends the walk when the contract says so, when it names no next page, or when it
                // names the same position again (a server that always answers with a next link).
                if (!yielded)
                {
                    yield return new EventsPage<T>(page.Items, null, page.Response);
                }

                yield break;
            }

            if (next is null)
            {
                yield return new EventsPage<T>(page.Items, null, page.Response);
                yield break;
            }

            if (followed.Contains(next))
            {
                throw new EventsPagingException($"The page at {NextLinks.Shown(current)} names a next page that was already fetched; the server's links go round in a loop.", next, false);
            }

            yielded = true;
            yield return new EventsPage<T>(page.Items, ContinuationToken.CreateText(ContinuationToken.LinkKind, next), page.Response);
            link = next;
        }
    }

    /// <summary>The position a page was fetched at and the one it names next (absolute and origin-checked for URLs).</summary>
    internal static (string Current, string? Next) Step<T>(Uri baseUri, bool isToken, string? link, LinkedPage<T> page)
    {
        if (isToken)
        {
            return (link ?? string.Empty, page.Next);
        }

        var current = page.RequestUri.AbsoluteUri;
        return (current, page.Next is { } raw ? NextLinks.Resolve(page.RequestUri, raw, baseUri).AbsoluteUri : null);
    }

    /// <summary>The items of a stream of pages, in order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="pages">The pages.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    /// <returns>The items.</returns>
    public static async IAsyncEnumerable<T> ItemsAsync<T>(IAsyncEnumerable<EventsPage<T>> pages, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pages);
        await foreach (var page in pages.WithCancellation(ct).ConfigureAwait(false))
        {
            foreach (var item in page.Items)
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// An identity of an item for <see cref="OffsetPagesAsync{T}(long, int, PageStop, Func{long, int, CancellationToken, Task{EventsResponse{IReadOnlyList{T}}}}, Func{T, string}?, string?, CancellationToken)"/>
    /// when its contract names no id: its JSON as written by the model.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="item">The item.</param>
    /// <param name="write">Writes the item as JSON.</param>
    /// <returns>The item's JSON text.</returns>
    public static string Fingerprint<T>(T item, Action<T, System.Text.Json.Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            write(item, writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static long LastCursor<T>(IReadOnlyList<T> items, Func<T, long> cursorOf)
    {
        // The contract orders cursor pages ascending; the highest cursor is the safe one even if a server
        // returns a page slightly out of order.
        var max = long.MinValue;
        foreach (var item in items)
        {
            var c = cursorOf(item);
            if (c > max)
            {
                max = c;
            }
        }

        return max;
    }

    /// <summary>
    /// Newest-N and unpaged endpoints: one request, one page, no continuation (the server returns the last N
    /// items of its natural order, newest first, and offers no way to go further).
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="fetch">Fetches the one page.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>One page.</returns>
    public static async IAsyncEnumerable<EventsPage<T>> SinglePageAsync<T>(
        Func<CancellationToken, Task<EventsResponse<IReadOnlyList<T>>>> fetch,
        [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var result = await fetch(ct).ConfigureAwait(false);
        yield return new EventsPage<T>(result.Value, null, result.GetRawResponse());
    }
}
