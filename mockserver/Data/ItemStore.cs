using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Data;

/// <summary>A field path of the dataset model whose values are extracted into a column.</summary>
internal sealed record ColumnDef(string Path, TypeRef Type, bool Sorted);

/// <summary>
/// An immutable snapshot of a dataset: each item as raw UTF-8 JSON (served verbatim), plus
/// extracted columns for the fields that semantics and orders refer to, plus indexes sorted by
/// those fields (ties broken by the dataset id) so that seeks and windows are binary searches.
/// Appends produce a new snapshot; readers never lock.
/// </summary>
internal sealed class ItemStore
{
    /// <summary>Serializer settings that keep text as written (no needless escaping).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ContractSpec _contract;
    private readonly byte[][] _raw;
    private readonly Dictionary<string, Cell[]> _columns;
    private readonly Dictionary<string, int[]> _sorted;
    private readonly Dictionary<Cell, int> _byId;
    private readonly Dictionary<(string Model, int Seq), byte[]> _overrides;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), bool> _monotonic = new();

    private ItemStore(
        ContractSpec contract,
        IReadOnlyList<ColumnDef> columns,
        string idPath,
        byte[][] raw,
        Dictionary<string, Cell[]> cols,
        Dictionary<string, int[]> sorted,
        Dictionary<Cell, int> byId,
        Dictionary<(string Model, int Seq), byte[]> overrides)
    {
        _contract = contract;
        ColumnDefs = columns;
        IdPath = idPath;
        _raw = raw;
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
    public int Count => _raw.Length;

    /// <summary>Creates a store over items in insertion order.</summary>
    public static ItemStore Create(ContractSpec contract, IReadOnlyList<ColumnDef> columns, string idPath, IReadOnlyList<JsonObject> items)
    {
        var empty = new ItemStore(
            contract,
            columns,
            idPath,
            Array.Empty<byte[]>(),
            columns.ToDictionary(c => c.Path, _ => Array.Empty<Cell>(), StringComparer.Ordinal),
            columns.Where(c => c.Sorted).ToDictionary(c => c.Path, _ => Array.Empty<int>(), StringComparer.Ordinal),
            new Dictionary<Cell, int>(),
            new Dictionary<(string, int), byte[]>());
        return empty.Append(items);
    }

    /// <summary>The raw JSON of item <paramref name="seq"/>.</summary>
    public byte[] Raw(int seq) => _raw[seq];

    /// <summary>The raw JSON of item <paramref name="seq"/> as seen through <paramref name="model"/>, when an example gave it verbatim.</summary>
    public byte[]? Override(string model, int seq) => _overrides.TryGetValue((model, seq), out var raw) ? raw : null;

    /// <summary>The column of a path, or null when not extracted.</summary>
    public Cell[]? Column(string path) => _columns.TryGetValue(path, out var c) ? c : null;

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

    /// <summary>The item with this dataset id, or -1.</summary>
    public int FindById(Cell id)
    {
        if (_byId.TryGetValue(id, out var seq))
        {
            return seq;
        }

        if (id.Kind == CellKind.Text)
        {
            // Case-insensitive fallback is the caller's business; ids are exact.
            return -1;
        }

        return -1;
    }

    /// <summary>Parses the item <paramref name="seq"/> as a JSON object.</summary>
    public JsonObject Node(int seq) => (JsonObject)JsonNode.Parse(_raw[seq])!;

    /// <summary>Returns a new store with the items appended (and with projection overrides).</summary>
    public ItemStore Append(IReadOnlyList<JsonObject> items, IReadOnlyList<(string Model, JsonObject Item)>? overrides = null)
    {
        var start = _raw.Length;
        var raw = new byte[start + items.Count][];
        Array.Copy(_raw, raw, start);
        var cols = new Dictionary<string, Cell[]>(StringComparer.Ordinal);
        foreach (var def in ColumnDefs)
        {
            var old = _columns[def.Path];
            var col = new Cell[raw.Length];
            Array.Copy(old, col, start);
            cols[def.Path] = col;
        }

        var byId = new Dictionary<Cell, int>(_byId);
        var idDef = ColumnDefs.First(c => c.Path == IdPath);
        for (var i = 0; i < items.Count; i++)
        {
            var seq = start + i;
            raw[seq] = Encoding.UTF8.GetBytes(items[i].ToJsonString(JsonOptions));
            foreach (var def in ColumnDefs)
            {
                cols[def.Path][seq] = Extract(_contract, items[i], def);
            }

            var id = cols[IdPath][seq];
            if (id.HasValue)
            {
                byId.TryAdd(id, seq);
            }
        }

        _ = idDef;
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
            var fresh = Enumerable.Range(start, items.Count).ToArray();
            Array.Sort(fresh, cmp);
            sorted[def.Path] = Merge(_sorted[def.Path], fresh, cmp);
        }

        var ov = new Dictionary<(string, int), byte[]>(_overrides);
        if (overrides is not null)
        {
            foreach (var (model, item) in overrides)
            {
                var id = Extract(_contract, item, idDef with { Path = IdPath });
                if (byId.TryGetValue(id, out var seq))
                {
                    ov[(model, seq)] = Encoding.UTF8.GetBytes(item.ToJsonString(JsonOptions));
                }
            }
        }

        return new ItemStore(_contract, ColumnDefs, IdPath, raw, cols, sorted, byId, ov);
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
        foreach (var step in def.Path.Split('.'))
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
