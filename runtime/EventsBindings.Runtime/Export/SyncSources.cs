using System.Globalization;
using System.Runtime.CompilerServices;

namespace EventsBindings.Runtime.Export;

/// <summary>
/// Where a <see cref="CheckpointedExport{T}"/> reads from: pages of items after a cursor, the ids that identify
/// items, and how the cursor advances over a delivered page. Created by <see cref="SyncSources"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public interface ISyncSource<T>
{
    /// <summary>The strategy's name, recorded in checkpoints (<c>idCursor</c>, <c>timeCursor</c>).</summary>
    string Strategy { get; }

    /// <summary>The identity of an item (used to drop items delivered already).</summary>
    /// <param name="item">The item.</param>
    /// <returns>Its id.</returns>
    string IdOf(T item);

    /// <summary>The pages of items at and after a cursor, in the source's order, until the last page.</summary>
    /// <param name="from">The committed cursor.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pages.</returns>
    IAsyncEnumerable<IReadOnlyList<T>> ReadPagesAsync(SyncCursor from, CancellationToken cancellationToken);

    /// <summary>The cursor once <paramref name="page"/> (as fetched, duplicates included) has been delivered.</summary>
    /// <param name="cursor">The cursor before the page.</param>
    /// <param name="page">The page.</param>
    /// <returns>The cursor after it.</returns>
    SyncCursor Advance(SyncCursor cursor, IReadOnlyList<T> page);
}

/// <summary>The incremental-sync strategies a contract can declare.</summary>
public static class SyncSources
{
    /// <summary>
    /// An id cursor: the next run starts at the highest id delivered + 1; within a run, each page starts at the
    /// previous page's highest id + 1 and a page shorter than <paramref name="pageSize"/> is the last.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="fetch">Fetches the items starting at an id (null: from the server's first) with a page size.</param>
    /// <param name="idOf">The id of an item (ascending in the server's order).</param>
    /// <param name="pageSize">Items per request.</param>
    /// <returns>The source.</returns>
    public static ISyncSource<T> IdCursor<T>(Func<long?, int, CancellationToken, Task<IReadOnlyList<T>>> fetch, Func<T, long> idOf, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(idOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return new IdCursorSource<T>(fetch, idOf, pageSize);
    }

    /// <summary>
    /// A time cursor: the next run reads from the highest timestamp delivered minus <paramref name="overlap"/>
    /// (events may share a millisecond or arrive late) and drops the ids it delivered within that window;
    /// within a run the start stays fixed and pages advance by offset (the server's order must be ascending).
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="fetch">Fetches items after a timestamp in epoch ms (null: from the beginning), at an offset, with a page size.</param>
    /// <param name="timestampMsOf">The timestamp of an item in epoch milliseconds.</param>
    /// <param name="idOf">The id of an item.</param>
    /// <param name="overlap">How far before the last timestamp the next run starts reading again.</param>
    /// <param name="pageSize">Items per request.</param>
    /// <returns>The source.</returns>
    public static ISyncSource<T> TimeCursor<T>(Func<long?, long, int, CancellationToken, Task<IReadOnlyList<T>>> fetch, Func<T, long> timestampMsOf, Func<T, string> idOf, TimeSpan overlap, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(timestampMsOf);
        ArgumentNullException.ThrowIfNull(idOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(overlap, TimeSpan.Zero);
        return new TimeCursorSource<T>(fetch, timestampMsOf, idOf, (long)overlap.TotalMilliseconds, pageSize);
    }

    /// <summary>
    /// A next-link cursor: each run starts at the stored next link (the first request when none) and follows the
    /// links the pages name, until a page names none (or an empty page, with <see cref="Paging.PageStop.EmptyPage"/>);
    /// the cursor after a page is its next link. A last page that names no next page leaves the cursor at the link
    /// that fetched it, with its ids: the next run fetches it again and drops them (<paramref name="idOf"/>), so
    /// items appended to it later are delivered once. A link to another origin than <paramref name="baseUri"/> is
    /// never followed (<see cref="Paging.EventsPagingException"/>).
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="baseUri">The client's base URL: every followed link must share its origin.</param>
    /// <param name="isToken">True when the server names the next page by an opaque token rather than a URL.</param>
    /// <param name="stop">When a walk ends besides a page without a next link.</param>
    /// <param name="fetch">Fetches the first page (null) or the page a link (absolute URL) or token names.</param>
    /// <param name="idOf">The id of an item (the contract's dedupBy).</param>
    /// <returns>The source.</returns>
    public static ISyncSource<T> NextLink<T>(Uri baseUri, bool isToken, Paging.PageStop stop, Func<string?, CancellationToken, Task<Paging.LinkedPage<T>>> fetch, Func<T, string> idOf)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(idOf);
        return new NextLinkSource<T>(baseUri, isToken, stop, fetch, idOf);
    }

    private sealed class NextLinkSource<T>(Uri baseUri, bool isToken, Paging.PageStop stop, Func<string?, CancellationToken, Task<Paging.LinkedPage<T>>> fetch, Func<T, string> idOf) : ISyncSource<T>
    {
        // The link each yielded page was fetched at and the one it names: Advance is handed the page object itself.
        private readonly ConditionalWeakTable<IReadOnlyList<T>, PageLinks> _links = new();

        public string Strategy => "nextLink";

        public string IdOf(T item) => idOf(item);

        public async IAsyncEnumerable<IReadOnlyList<T>> ReadPagesAsync(SyncCursor from, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var link = from.Link;
            if (link is not null && !isToken)
            {
                Paging.NextLinks.CheckOrigin(new Uri(link, UriKind.Absolute), baseUri);
            }

            var followed = new HashSet<string>(StringComparer.Ordinal);
            var repeated = new Paging.RepeatedPageCheck(); // a page repeated under a new link ends the run too
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = await repeated.FetchAsync(fetch, link, cancellationToken).ConfigureAwait(false);
                var (current, next) = Paging.Pager.Step(baseUri, isToken, link, page);
                followed.Add(current);
                var items = page.Items;
                var empty = Json.JsonReadReport.SentCount(items) == 0;
                var repeats = next is not null && followed.Contains(next);
                if (repeats && !empty)
                {
                    throw new Paging.EventsPagingException($"The page at {Paging.NextLinks.Shown(current)} names a next page that was already fetched; the server's links go round in a loop.", next, false);
                }

                // The position stored for this page: the link that fetched it (null: the first request).
                _links.AddOrUpdate(items, new PageLinks(link, repeats ? null : next));
                yield return items;
                if (next is null || repeats || (empty && stop == Paging.PageStop.EmptyPage))
                {
                    yield break;
                }

                link = next;
            }
        }

        public SyncCursor Advance(SyncCursor cursor, IReadOnlyList<T> page)
        {
            if (!_links.TryGetValue(page, out var links))
            {
                throw new InvalidOperationException("Advance was handed a page this source did not yield.");
            }

            if (links.Next is { } next)
            {
                return SyncCursor.AtLink(next, Array.Empty<SyncMark>());
            }

            // No next page: stay at the link that fetched this one, and remember its ids (with those already kept for it).
            var recent = new List<SyncMark>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (cursor.Link == links.Fetched)
            {
                foreach (var mark in cursor.Recent)
                {
                    if (seen.Add(mark.Id))
                    {
                        recent.Add(mark);
                    }
                }
            }

            foreach (var item in page)
            {
                var id = idOf(item);
                if (seen.Add(id))
                {
                    recent.Add(new SyncMark(id, 0));
                }
            }

            return SyncCursor.AtLink(links.Fetched, recent);
        }

        private sealed record PageLinks(string? Fetched, string? Next);
    }

    private sealed class IdCursorSource<T>(Func<long?, int, CancellationToken, Task<IReadOnlyList<T>>> fetch, Func<T, long> idOf, int pageSize) : ISyncSource<T>
    {
        public string Strategy => "idCursor";

        public string IdOf(T item) => idOf(item).ToString(CultureInfo.InvariantCulture);

        public async IAsyncEnumerable<IReadOnlyList<T>> ReadPagesAsync(SyncCursor from, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var start = from.Position;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = await fetch(start, pageSize, cancellationToken).ConfigureAwait(false);
                if (Json.JsonReadReport.SentCount(page) == 0)
                {
                    yield break;
                }

                yield return page;
                if (Json.JsonReadReport.SentCount(page) < pageSize)
                {
                    yield break;
                }

                if (page.Count == 0)
                {
                    // Every item was set aside as unreadable: no id to move the cursor past.
                    throw new Paging.EventsPagingException($"Every item of the page starting at id {start?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(start)"} was rejected as unreadable, so the id cursor cannot move forward.", start ?? 0);
                }

                var next = checked(Max(page) + 1);
                if (start is { } s && next <= s)
                {
                    throw new Paging.EventsPagingException($"The page starting at id {s} did not move the id cursor forward; the server appears to ignore it.", s);
                }

                start = next;
            }
        }

        public SyncCursor Advance(SyncCursor cursor, IReadOnlyList<T> page)
        {
            if (page.Count == 0)
            {
                return cursor;
            }

            var next = checked(Max(page) + 1);
            return new SyncCursor(cursor.Position is { } p && p > next ? p : next, Array.Empty<SyncMark>());
        }

        private long Max(IReadOnlyList<T> page)
        {
            var max = long.MinValue;
            foreach (var item in page)
            {
                max = Math.Max(max, idOf(item));
            }

            return max;
        }
    }

    private sealed class TimeCursorSource<T>(Func<long?, long, int, CancellationToken, Task<IReadOnlyList<T>>> fetch, Func<T, long> timestampMsOf, Func<T, string> idOf, long overlapMs, int pageSize) : ISyncSource<T>
    {
        public string Strategy => "timeCursor";

        public string IdOf(T item) => idOf(item);

        public async IAsyncEnumerable<IReadOnlyList<T>> ReadPagesAsync(SyncCursor from, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            long? after = from.Position is { } p ? p - overlapMs : null;
            long offset = 0;
            HashSet<string>? previous = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = await fetch(after, offset, pageSize, cancellationToken).ConfigureAwait(false);
                if (Json.JsonReadReport.SentCount(page) == 0)
                {
                    yield break;
                }

                // A full page holding only items of the page before it did not move forward (the server
                // ignores the offset): end the run instead of fetching the same page forever.
                var ids = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in page)
                {
                    ids.Add(idOf(item));
                }

                if (previous is not null && page.Count >= pageSize && previous.IsSupersetOf(ids))
                {
                    throw new Paging.EventsPagingException($"The page at offset {offset} after {after?.ToString(CultureInfo.InvariantCulture) ?? "the start"} holds only items of the page before it; the server appears to ignore the offset.", offset);
                }

                previous = ids;
                yield return page;
                if (Json.JsonReadReport.SentCount(page) < pageSize)
                {
                    yield break;
                }

                offset += Json.JsonReadReport.SentCount(page);
            }
        }

        public SyncCursor Advance(SyncCursor cursor, IReadOnlyList<T> page)
        {
            if (page.Count == 0)
            {
                return cursor;
            }

            var max = cursor.Position ?? long.MinValue;
            foreach (var item in page)
            {
                max = Math.Max(max, timestampMsOf(item));
            }

            // Keep every id whose timestamp the next run will read again (at or after max - overlap).
            var floor = max - overlapMs;
            var recent = new List<SyncMark>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var mark in cursor.Recent)
            {
                if (mark.Position >= floor && seen.Add(mark.Id))
                {
                    recent.Add(mark);
                }
            }

            foreach (var item in page)
            {
                var at = timestampMsOf(item);
                var id = idOf(item);
                if (at >= floor && seen.Add(id))
                {
                    recent.Add(new SyncMark(id, at));
                }
            }

            return new SyncCursor(max, recent);
        }
    }
}
