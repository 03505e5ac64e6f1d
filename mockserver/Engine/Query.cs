// One file of about 570 lines on purpose: the mock's query plan: ranges over columns, their intersection and the seek over sorted indexes, one algorithm whose steps depend on each other.
using EventsBindings.MockServer.Data;

namespace EventsBindings.MockServer.Engine;

/// <summary>Bounds over one column; null bounds are open. Nulls and absent values never fall in a range.</summary>
internal sealed record Range(Cell? Low, bool LowInclusive, Cell? High, bool HighInclusive)
{
    public static readonly Range All = new(null, true, null, true);

    public bool Contains(in Cell value)
    {
        if (!value.HasValue)
        {
            return false;
        }

        if (Low is { } low)
        {
            var c = Cell.Compare(value, low);
            if (c < 0 || (c == 0 && !LowInclusive))
            {
                return false;
            }
        }

        if (High is { } high)
        {
            var c = Cell.Compare(value, high);
            if (c > 0 || (c == 0 && !HighInclusive))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The intersection of two ranges.</summary>
    public Range Intersect(Range other)
    {
        var (low, lowInc) = (Low, LowInclusive);
        if (other.Low is { } ol)
        {
            var c = low is { } l ? Cell.Compare(ol, l) : 1;
            if (c > 0 || (c == 0 && !other.LowInclusive))
            {
                (low, lowInc) = (ol, other.LowInclusive);
            }
        }

        var (high, highInc) = (High, HighInclusive);
        if (other.High is { } oh)
        {
            var c = high is { } h ? Cell.Compare(oh, h) : -1;
            if (c < 0 || (c == 0 && !other.HighInclusive))
            {
                (high, highInc) = (oh, other.HighInclusive);
            }
        }

        return new Range(low, lowInc, high, highInc);
    }
}

/// <summary>A compiled request over an item store: ranges, predicates, order and paging.</summary>
internal sealed class Query
{
    /// <summary>Range constraints by column path.</summary>
    public Dictionary<string, Range> Ranges { get; } = new(StringComparer.Ordinal);

    /// <summary>Other per-item tests, each over one column.</summary>
    public List<(string Path, Column Column, Func<Cell, bool> Test)> Predicates { get; } = new();

    /// <summary>
    /// Tests over a whole item (its JSON as the endpoint shows it), for filters that span several fields, nested
    /// lists and the like (SCIM filters, keyword search). Slower than <see cref="Predicates"/>: run after them.
    /// </summary>
    public List<Func<ItemStore, int, bool>> ItemTests { get; } = new();

    /// <summary>Column path of the order, or null for no order.</summary>
    public string? OrderPath { get; set; }

    /// <summary>True for highest first.</summary>
    public bool Descending { get; set; }

    /// <summary>Items skipped after filtering and ordering.</summary>
    public long Offset { get; set; }

    /// <summary>At most this many items, or null.</summary>
    public long? PageSize { get; set; }

    /// <summary>The newest N of the natural order, reversed, or null.</summary>
    public long? Newest { get; set; }

    /// <summary>Equality on the dataset id (served by a hash lookup), or null.</summary>
    public Cell? IdEquals { get; set; }

    /// <summary>Next-link paging: the position of a page token; only items after it (in the query's direction) pass.</summary>
    public PageTokens.Position? After { get; set; }

    /// <summary>A test on an item's position in the store beyond the per-column ones (the page token's "after"), or null.</summary>
    public Func<int, bool>? SeqFilter { get; set; }

    private (string Path, Column Column, Range Range)[]? _resolved;

    /// <summary>The ranges with their columns looked up once (per query, not per item).</summary>
    public (string Path, Column Column, Range Range)[] ResolvedRanges(ItemStore store) =>
        _resolved ??= Ranges.Select(r => (r.Key, store.Column(r.Key)!, r.Value)).ToArray();

    /// <summary>Adds a range, intersecting with an existing one on the same column.</summary>
    public void AddRange(string path, Range range)
    {
        Ranges[path] = Ranges.TryGetValue(path, out var existing) ? existing.Intersect(range) : range;
        _resolved = null;
    }
}

/// <summary>Executes queries over an <see cref="ItemStore"/> with binary searches on its sorted indexes.</summary>
internal static class QueryEngine
{
    /// <summary>The items of a query in the order and page it asks for.</summary>
    public static List<int> List(ItemStore store, Query query)
    {
        var result = new List<int>();
        if (query.IdEquals is { } id)
        {
            var seq = store.FindById(id);
            if (seq >= 0 && Passes(store, query, seq, null))
            {
                result.Add(seq);
            }

            return Page(result, query);
        }

        var (driverPath, lo, hi) = ChooseDriver(store, query);
        var orderIndex = query.OrderPath is { } op ? store.SortedBy(op) : null;
        if (orderIndex is not null && driverPath == query.OrderPath)
        {
            // Walk the order index lazily in the requested direction and stop when the page is full.
            var reverse = query.Newest is not null ? !query.Descending : query.Descending;
            var skip = query.Newest is null ? query.Offset : 0;
            var limit = query.Newest ?? query.PageSize ?? long.MaxValue;
            if (limit <= 0)
            {
                return result;
            }

            // Nothing but the driver's own range filters: every position passes, so an offset is a jump, not a walk.
            var first = 0;
            if (skip > 0 && query.Predicates.Count == 0 && query.ItemTests.Count == 0 && query.Ranges.Keys.All(p => p == driverPath))
            {
                first = (int)Math.Min(skip, hi - lo);
                skip = 0;
            }

            if (first == 0 && Selective(store, query, driverPath!, lo, hi) is { } lists)
            {
                // A filter on a column of few values: visit only the positions that hold a wanted value.
                var walk = new PostingWalk(lists, reverse);
                while (walk.Next(out var k))
                {
                    var seq = orderIndex[k];
                    if (!Passes(store, query, seq, driverPath))
                    {
                        continue;
                    }

                    if (skip > 0)
                    {
                        skip--;
                        continue;
                    }

                    result.Add(seq);
                    if (result.Count >= limit)
                    {
                        break;
                    }
                }

                return result;
            }

            for (var k = first; k < hi - lo; k++)
            {
                var seq = orderIndex[reverse ? hi - 1 - k : lo + k];
                if (!Passes(store, query, seq, driverPath))
                {
                    continue;
                }

                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                result.Add(seq);
                if (result.Count >= limit)
                {
                    break;
                }
            }

            return result;
        }

        // Another index is much narrower: collect its matches, then order them.
        var matches = Collect(store, query, driverPath, lo, hi);
        if (query.OrderPath is { } path && store.Column(path) is { } col)
        {
            var ids = store.Column(store.IdPath)!;
            matches.Sort((a, b) =>
            {
                var c = Cell.Compare(col[a], col[b]);
                if (c == 0)
                {
                    c = Cell.Compare(ids[a], ids[b]);
                }

                return c != 0 ? c : a.CompareTo(b);
            });
        }

        if (query.Newest is { } n)
        {
            var newestCount = (int)Math.Min(n, matches.Count);
            var newest = matches.GetRange(matches.Count - newestCount, newestCount);
            if (!query.Descending)
            {
                newest.Reverse();
            }
            else
            {
                newest = matches.GetRange(0, newestCount);
            }

            return newest;
        }

        if (query.Descending)
        {
            matches.Reverse();
        }

        return Page(matches, query);
    }

    /// <summary>The number of items that pass the query's filters (paging ignored).</summary>
    public static long Count(ItemStore store, Query query)
    {
        if (query.IdEquals is { } id)
        {
            var seq = store.FindById(id);
            return seq >= 0 && Passes(store, query, seq, null) ? 1 : 0;
        }

        var (driverPath, lo, hi) = ChooseDriver(store, query);
        if (query.Predicates.Count == 0 && query.ItemTests.Count == 0 && query.Ranges.Count <= 1 && (query.Ranges.Count == 0 || query.Ranges.ContainsKey(driverPath ?? string.Empty)))
        {
            return hi - lo;
        }

        long count = 0;
        var index = driverPath is null ? null : store.SortedBy(driverPath);
        if (index is not null && Selective(store, query, driverPath!, lo, hi) is { } lists)
        {
            if (query.Predicates.Count == 1 && query.ItemTests.Count == 0 && query.Ranges.Keys.All(p => p == driverPath))
            {
                // The one filter is the postings' own and the range is the slice: count without visiting.
                for (var b = 0; b < lists.Bounds.Length; b += 2)
                {
                    count += lists.Bounds[b + 1] - lists.Bounds[b];
                }

                return count;
            }

            var walk = new PostingWalk(lists, false);
            while (walk.Next(out var k))
            {
                if (Passes(store, query, index[k], driverPath))
                {
                    count++;
                }
            }

            return count;
        }

        for (var k = lo; k < hi; k++)
        {
            if (Passes(store, query, index is null ? k : index[k], driverPath))
            {
                count++;
            }
        }

        return count;
    }

    private static List<int> Page(List<int> items, Query query)
    {
        var skip = (int)Math.Min(query.Offset, items.Count);
        var size = (int)Math.Min(query.PageSize ?? int.MaxValue, items.Count - skip);
        return skip == 0 && size == items.Count ? items : items.GetRange(skip, size);
    }

    private static List<int> Collect(ItemStore store, Query query, string? driverPath, int lo, int hi)
    {
        var index = driverPath is null ? null : store.SortedBy(driverPath);
        var list = new List<int>();
        if (index is not null && Selective(store, query, driverPath!, lo, hi) is { } lists)
        {
            var walk = new PostingWalk(lists, false);
            while (walk.Next(out var k))
            {
                if (Passes(store, query, index[k], driverPath))
                {
                    list.Add(index[k]);
                }
            }

            return list;
        }

        for (var k = lo; k < hi; k++)
        {
            var seq = index is null ? k : index[k];
            if (Passes(store, query, seq, driverPath))
            {
                list.Add(seq);
            }
        }

        return list;
    }

    /// <summary>
    /// The most selective filter that has postings over the index of <paramref name="driverPath"/>:
    /// for each of its matching values, the slice of that value's positions within [lo, hi). Null
    /// when no filter narrows the range enough to be worth it (then the range is scanned).
    /// </summary>
    private static (int[] Positions, int[] Bounds)? Selective(ItemStore store, Query query, string driverPath, int lo, int hi)
    {
        const int MaxValues = 32;
        (int[] Positions, int[] Bounds)? best = null;
        long bestCount = (hi - lo) / 2;
        foreach (var (path, _, test) in query.Predicates)
        {
            if (store.PostingsFor(driverPath, path) is not { } postings)
            {
                continue;
            }

            var bounds = new List<int>();
            long count = 0;
            var values = postings.Values;
            for (var c = 0; c < values.Length && bounds.Count <= MaxValues * 2; c++)
            {
                if (!test(values[c]))
                {
                    continue;
                }

                var from = LowerBound(postings.Positions, postings.Starts[c], postings.Starts[c + 1], lo);
                var to = LowerBound(postings.Positions, from, postings.Starts[c + 1], hi);
                if (to > from)
                {
                    bounds.Add(from);
                    bounds.Add(to);
                    count += to - from;
                }
            }

            if (bounds.Count <= MaxValues * 2 && count < bestCount)
            {
                best = (postings.Positions, bounds.ToArray());
                bestCount = count;
            }
        }

        return best;
    }

    private static int LowerBound(int[] sorted, int lo, int hi, int value)
    {
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (sorted[mid] >= value)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>Merges a few ascending slices of positions, walking them up or down.</summary>
    private struct PostingWalk
    {
        private readonly int[] _positions;
        private readonly int[] _cursor;
        private readonly int[] _bounds;
        private readonly bool _reverse;

        public PostingWalk((int[] Positions, int[] Bounds) lists, bool reverse)
        {
            _positions = lists.Positions;
            _bounds = lists.Bounds;
            _reverse = reverse;
            _cursor = new int[_bounds.Length / 2];
            for (var i = 0; i < _cursor.Length; i++)
            {
                _cursor[i] = reverse ? _bounds[(2 * i) + 1] - 1 : _bounds[2 * i];
            }
        }

        public bool Next(out int position)
        {
            var pick = -1;
            position = 0;
            for (var i = 0; i < _cursor.Length; i++)
            {
                var at = _cursor[i];
                if (_reverse ? at < _bounds[2 * i] : at >= _bounds[(2 * i) + 1])
                {
                    continue;
                }

                var p = _positions[at];
                if (pick < 0 || (_reverse ? p > position : p < position))
                {
                    pick = i;
                    position = p;
                }
            }

            if (pick < 0)
            {
                return false;
            }

            _cursor[pick] += _reverse ? -1 : 1;
            return true;
        }
    }

    private static bool Passes(ItemStore store, Query query, int seq, string? skipRange)
    {
        foreach (var (path, column, range) in query.ResolvedRanges(store))
        {
            if (path != skipRange && !range.Contains(column[seq]))
            {
                return false;
            }
        }

        foreach (var (_, column, test) in query.Predicates)
        {
            if (!test(column[seq]))
            {
                return false;
            }
        }

        if (query.SeqFilter is not null && !query.SeqFilter(seq))
        {
            return false;
        }

        foreach (var test in query.ItemTests)
        {
            if (!test(store, seq))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Picks the index to walk: the order's index unless another range is far narrower. Returns
    /// the index path (null: insertion order) and the [lo, hi) positions found by binary search.
    /// </summary>
    private static (string? Path, int Lo, int Hi) ChooseDriver(ItemStore store, Query query)
    {
        string? bestPath = null;
        int bestLo = 0, bestHi = store.Count;
        foreach (var (path, range) in query.Ranges)
        {
            if (store.SortedBy(path) is not { } index)
            {
                continue;
            }

            var (lo, hi) = Seek(index, store.Column(path)!, range);
            if (hi - lo < bestHi - bestLo || bestPath is null)
            {
                (bestPath, bestLo, bestHi) = (path, lo, hi);
            }
        }

        if (query.OrderPath is { } orderPath && store.SortedBy(orderPath) is { } orderIndex)
        {
            var (lo, hi) = query.Ranges.TryGetValue(orderPath, out var r) ? Seek(orderIndex, store.Column(orderPath)!, r) : (0, store.Count);

            // A range over a column that grows with the order is a slice of the order's index too.
            foreach (var (path, range) in query.Ranges)
            {
                if (path != orderPath && store.IsMonotonic(orderPath, path))
                {
                    var (l2, h2) = Seek(orderIndex, store.Column(path)!, range);
                    (lo, hi) = (Math.Max(lo, l2), Math.Max(Math.Max(lo, l2), Math.Min(hi, h2)));
                }
            }
            if (bestPath is null || bestPath == orderPath || (long)(bestHi - bestLo) * 8 >= hi - lo)
            {
                return (orderPath, lo, hi);
            }
        }

        return (bestPath, bestLo, bestHi);
    }

    /// <summary>The [lo, hi) positions of an ascending index whose values fall in <paramref name="range"/>.</summary>
    public static (int Lo, int Hi) Seek(int[] index, Column column, Range range)
    {
        // Values only: skip the missing and null cells that sort first.
        var lo = LowerBound(index, column, c => c.HasValue);
        if (range.Low is { } low)
        {
            lo = Math.Max(lo, LowerBound(index, column, c => c.HasValue && (range.LowInclusive ? Cell.Compare(c, low) >= 0 : Cell.Compare(c, low) > 0)));
        }

        var hi = index.Length;
        if (range.High is { } high)
        {
            hi = LowerBound(index, column, c => c.HasValue && (range.HighInclusive ? Cell.Compare(c, high) > 0 : Cell.Compare(c, high) >= 0));
        }

        return (lo, Math.Max(lo, hi));
    }

    /// <summary>The first position whose value satisfies a predicate that is monotone over the index.</summary>
    private static int LowerBound(int[] index, Column column, Func<Cell, bool> atOrAfter)
    {
        int lo = 0, hi = index.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (atOrAfter(column[index[mid]]))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }
}
