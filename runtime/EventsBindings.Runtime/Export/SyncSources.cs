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
