// One file of about 410 lines on purpose: the columns, the sorted indexes and the binary searches over them are one data structure: splitting it would spread its invariants (index order, tie-break by id) across files.
using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Data;

/// <summary>A field path of the dataset model whose values are extracted into a column.</summary>
internal sealed record ColumnDef(string Path, TypeRef Type, bool Sorted)
{
    /// <summary>The path's steps.</summary>
    public string[] Steps { get; } = Path.Split('.');
}

/// <summary>
/// The positions of an ascending index grouped by the value of another column: for each distinct
/// value (of few), the ascending positions k of the index whose item has that value. A filter on
/// that column then visits only matching positions, found by binary search within a range.
/// </summary>
internal sealed class Postings
{
    public Postings(Cell[] values, int[] starts, int[] positions)
    {
        Values = values;
        Starts = starts;
        Positions = positions;
    }

    /// <summary>The distinct values.</summary>
    public Cell[] Values { get; }

    /// <summary>Where each value's positions begin in <see cref="Positions"/> (one more entry than values).</summary>
    public int[] Starts { get; }

    /// <summary>Index positions, grouped by value, ascending within a group.</summary>
    public int[] Positions { get; }
}

/// <summary>
/// An immutable snapshot of a dataset: each item as raw UTF-8 JSON (served verbatim) packed in
/// large shared chunks, plus compact extracted columns for the fields that semantics and orders
/// refer to, plus indexes sorted by those fields (ties broken by the dataset id) so that seeks and
/// windows are binary searches. Appends produce a new snapshot; readers never lock.
/// </summary>
internal sealed class ItemStore
{
    /// <summary>Serializer settings that keep text as written (no needless escaping).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int ChunkSize = 4 << 20;
    private const int MaxPostingValues = 4096;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly ContractSpec _contract;
    private readonly byte[][] _chunks;
    private readonly long[] _where;
    private readonly int[] _length;
    private readonly Dictionary<string, Column> _columns;
    private readonly Dictionary<string, int[]> _sorted;
    private readonly Dictionary<Cell, int> _byId;
    private readonly Dictionary<(string Model, int Seq), byte[]> _overrides;
    private readonly ConcurrentDictionary<(string, string), bool> _monotonic = new();
    private readonly ConcurrentDictionary<(string, string), Lazy<Postings?>> _postings = new();

    private ItemStore(
        ContractSpec contract,
        IReadOnlyList<ColumnDef> columns,
        string idPath,
        int count,
        byte[][] chunks,
        long[] where,
        int[] length,
        Dictionary<string, Column> cols,
        Dictionary<string, int[]> sorted,
        Dictionary<Cell, int> byId,
        Dictionary<(string Model, int Seq), byte[]> overrides)
    {
        _contract = contract;
        ColumnDefs = columns;
        IdPath = idPath;
        Count = count;
        _chunks = chunks;
        _where = where;
        _length = length;
        _columns = cols;
        _sorted = sorted;
        _byId = byId;
        _overrides = overrides;
    }

    /// <summary>The columns kept.</summary>
    public IReadOnlyList<ColumnDef> ColumnDefs { get; }

    /// <summary>The path of the dataset id.</summary>
    public string IdPath { get; }

    /// <summary>Number of items.</summary>
    public int Count { get; }

    /// <summary>Creates a store over items in insertion order.</summary>
    public static ItemStore Create(ContractSpec contract, IReadOnlyList<ColumnDef> columns, string idPath, IEnumerable<JsonObject> items, IReadOnlyList<(string Model, JsonObject Item)>? overrides = null, int expected = 0)
    {
        var empty = new ItemStore(
            contract,
            columns,
            idPath,
            0,
            Array.Empty<byte[]>(),
            Array.Empty<long>(),
            Array.Empty<int>(),
            columns.ToDictionary(c => c.Path, _ => new Column(Array.Empty<byte>(), Array.Empty<long>(), null, 0), StringComparer.Ordinal),
            columns.Where(c => c.Sorted).ToDictionary(c => c.Path, _ => Array.Empty<int>(), StringComparer.Ordinal),
            new Dictionary<Cell, int>(),
            new Dictionary<(string, int), byte[]>());
        return empty.Append(items, overrides, expected);
    }

    /// <summary>The raw JSON of item <paramref name="seq"/>.</summary>
    public ReadOnlyMemory<byte> Raw(int seq)
    {
        var where = _where[seq];
        return new ReadOnlyMemory<byte>(_chunks[(int)(where >> 32)], (int)where, _length[seq]);
    }

    /// <summary>The raw JSON of item <paramref name="seq"/> as seen through <paramref name="model"/>, when an example gave it verbatim.</summary>
    public byte[]? Override(string model, int seq) => _overrides.Count > 0 && _overrides.TryGetValue((model, seq), out var raw) ? raw : null;

    /// <summary>The column of a path, or null when not extracted.</summary>
    public Column? Column(string path) => _columns.TryGetValue(path, out var c) ? c : null;

    /// <summary>The items sorted ascending by a path (ties: dataset id, then insertion), or null.</summary>
    public int[]? SortedBy(string path) => _sorted.TryGetValue(path, out var s) ? s : null;

    /// <summary>
    /// True when <paramref name="other"/> never decreases along the ascending index of
    /// <paramref name="order"/> and holds no nulls (ids and times that grow together): then a
    /// range over <paramref name="other"/> is a contiguous slice of that index. Computed once per snapshot.
    /// </summary>
    public bool IsMonotonic(string order, string other) => _monotonic.GetOrAdd((order, other), key =>
    {
        if (SortedBy(key.Item1) is not { } index || Column(key.Item2) is not { } col)
        {
            return false;
        }

        for (var k = 0; k < index.Length; k++)
        {
            if (!col[index[k]].HasValue || (k > 0 && Cell.Compare(col[index[k - 1]], col[index[k]]) > 0))
            {
                return false;
            }
        }

        return true;
    });

    /// <summary>
    /// The positions of the ascending index of <paramref name="order"/> grouped by the value of
    /// <paramref name="path"/>, or null when that column has too many distinct values. Built on
    /// first use, once per snapshot.
    /// </summary>
    public Postings? PostingsFor(string order, string path) => _postings.GetOrAdd((order, path), key => new Lazy<Postings?>(() => BuildPostings(key.Item1, key.Item2))).Value;

    private Postings? BuildPostings(string order, string path)
    {
        if (SortedBy(order) is not { } index || Column(path) is not { } col)
        {
            return null;
        }

        var codes = new Dictionary<Cell, int>();
        var values = new List<Cell>();
        var code = new int[index.Length];
        var counts = new List<int>();
        for (var k = 0; k < index.Length; k++)
        {
            var cell = col[index[k]];
            if (!codes.TryGetValue(cell, out var c))
            {
                if (values.Count == MaxPostingValues)
                {
                    return null;
                }

                c = values.Count;
                codes.Add(cell, c);
                values.Add(cell);
                counts.Add(0);
            }

            code[k] = c;
            counts[c]++;
        }

        var starts = new int[values.Count + 1];
        for (var c = 0; c < values.Count; c++)
        {
            starts[c + 1] = starts[c] + counts[c];
        }

        var fill = (int[])starts.Clone();
        var positions = new int[index.Length];
        for (var k = 0; k < index.Length; k++)
        {
            positions[fill[code[k]]++] = k;
        }

        return new Postings(values.ToArray(), starts, positions);
    }

    /// <summary>The item with this dataset id, or -1.</summary>
    public int FindById(Cell id) => _byId.TryGetValue(id, out var seq) ? seq : -1;

    /// <summary>Parses the item <paramref name="seq"/> as a JSON object.</summary>
    public JsonObject Node(int seq) => (JsonObject)JsonNode.Parse(Raw(seq).Span)!;

    /// <summary>
    /// Returns a new store with the items appended (and with projection overrides). The items are
    /// consumed one at a time: each is serialized into the shared chunks and its columns extracted,
    /// so no item's JSON tree outlives its turn.
    /// </summary>
    public ItemStore Append(IEnumerable<JsonObject> items, IReadOnlyList<(string Model, JsonObject Item)>? overrides = null, int expected = 0)
    {
        var start = Count;
        if (items.TryGetNonEnumeratedCount(out var known))
        {
            expected = known;
        }

        var capacity = start + Math.Max(0, expected);
        var where = new long[Math.Max(capacity, 16)];
        var length = new int[where.Length];
        Array.Copy(_where, where, start);
        Array.Copy(_length, length, start);
        var chunks = new List<byte[]>(_chunks);
        var writers = ColumnDefs.Select(d => new Column.Writer(_columns[d.Path], capacity)).ToArray();
        var idColumn = ColumnDefs.Select((d, i) => (d, i)).First(x => x.d.Path == IdPath).i;
        var byId = new Dictionary<Cell, int>(_byId);
        byId.EnsureCapacity(capacity);

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var json = new Utf8JsonWriter(buffer, WriterOptions);
        byte[]? chunk = null;
        var used = 0;
        var seq = start;
        foreach (var item in items)
        {
            buffer.ResetWrittenCount();
            json.Reset();
            item.WriteTo(json, JsonOptions);
            json.Flush();
            var bytes = buffer.WrittenSpan;
            if (chunk is null || used + bytes.Length > chunk.Length)
            {
                if (chunk is not null && used < chunk.Length)
                {
                    chunks[^1] = chunk[..used];
                }

                chunk = new byte[Math.Max(bytes.Length, expected > 0 && expected < 1024 ? bytes.Length * (expected - (seq - start)) : ChunkSize)];
                chunks.Add(chunk);
                used = 0;
            }

            bytes.CopyTo(chunk.AsSpan(used));
            if (seq == where.Length)
            {
                Array.Resize(ref where, where.Length * 2);
                Array.Resize(ref length, where.Length);
            }

            where[seq] = ((long)(chunks.Count - 1) << 32) | (uint)used;
            length[seq] = bytes.Length;
            used += bytes.Length;

            for (var c = 0; c < writers.Length; c++)
            {
                writers[c].Add(Extract(_contract, item, ColumnDefs[c]));
            }

            var id = writers[idColumn][seq];
            if (id.HasValue)
            {
                byId.TryAdd(id, seq);
            }

            seq++;
        }

        if (chunk is not null && used < chunk.Length)
        {
            chunks[^1] = chunk[..used];
        }

        var cols = new Dictionary<string, Column>(StringComparer.Ordinal);
        for (var c = 0; c < writers.Length; c++)
        {
            cols[ColumnDefs[c].Path] = writers[c].Build();
        }

        var added = seq - start;
        var sorted = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var ids = cols[IdPath];
        foreach (var def in ColumnDefs.Where(c => c.Sorted))
        {
            var col = cols[def.Path];
            Comparison<int> cmp = (a, b) =>
            {
                var c = Cell.Compare(col[a], col[b]);
                if (c == 0)
                {
                    c = Cell.Compare(ids[a], ids[b]);
                }

                return c != 0 ? c : a.CompareTo(b);
            };
            var fresh = new int[added];
            for (var i = 0; i < added; i++)
            {
                fresh[i] = start + i;
            }

            if (!IsSorted(fresh, cmp))
            {
                Array.Sort(fresh, cmp);
            }

            sorted[def.Path] = Merge(_sorted[def.Path], fresh, cmp);
        }

        var ov = new Dictionary<(string, int), byte[]>(_overrides);
        if (overrides is not null)
        {
            var idDef = ColumnDefs[idColumn];
            foreach (var (model, item) in overrides)
            {
                var id = Extract(_contract, item, idDef);
                if (byId.TryGetValue(id, out var at))
                {
                    ov[(model, at)] = Encoding.UTF8.GetBytes(item.ToJsonString(JsonOptions));
                }
            }
        }

        return new ItemStore(_contract, ColumnDefs, IdPath, seq, chunks.ToArray(), where, length, cols, sorted, byId, ov);
    }

    private static bool IsSorted(int[] items, Comparison<int> cmp)
    {
        for (var i = 1; i < items.Length; i++)
        {
            if (cmp(items[i - 1], items[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int[] Merge(int[] a, int[] b, Comparison<int> cmp)
    {
        if (a.Length == 0)
        {
            return b;
        }

        var result = new int[a.Length + b.Length];
        int i = 0, j = 0, k = 0;
        while (i < a.Length && j < b.Length)
        {
            result[k++] = cmp(a[i], b[j]) <= 0 ? a[i++] : b[j++];
        }

        while (i < a.Length)
        {
            result[k++] = a[i++];
        }

        while (j < b.Length)
        {
            result[k++] = b[j++];
        }

        return result;
    }

    /// <summary>Reads the value at a column's path of an item.</summary>
    public static Cell Extract(ContractSpec contract, JsonObject item, ColumnDef def)
    {
        JsonNode? node = item;
        foreach (var step in def.Steps)
        {
            if (node is not JsonObject obj)
            {
                return node is null ? Cell.Null : Cell.Missing;
            }

            if (!obj.TryGetPropertyValue(step, out node))
            {
                return Cell.Missing;
            }
        }

        return ValueCodec.FromJson(contract, def.Type, node);
    }
}
