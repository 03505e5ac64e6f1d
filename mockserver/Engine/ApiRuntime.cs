using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Auth;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Engine;

/// <summary>What an API's runtime is built from besides its contract.</summary>
internal sealed record ApiSettings(int Events, int Seed, TimeProvider Time, IReadOnlyList<JsonObject> DataItems, IReadOnlyList<string> CredentialOverrides);

/// <summary>
/// One mounted contract: its routes, its dataset (an <see cref="ItemStore"/> snapshot), its
/// credentials and projections. Everything here is derived from the contract.
/// </summary>
internal sealed class ApiRuntime
{
    private const int MaxCachedProjections = 65_536;
    private readonly object _writeLock = new();
    private readonly List<(EndpointSpec Endpoint, RouteTemplate Route)> _routes;
    private readonly ConcurrentDictionary<(string Model, int Seq), byte[]> _projections = new();
    private readonly ItemStore _initial;
    private readonly DatasetBuilder _builder;
    private readonly ApiSettings _settings;
    private volatile ItemStore _store;

    private ApiRuntime(ContractSpec contract, string source, ModelSpec model, ItemStore store, DatasetBuilder builder, CredentialStore credentials, ApiSettings settings)
    {
        Contract = contract;
        Source = source;
        DatasetModel = model;
        Prefix = "/" + (contract.Mock?.Prefix ?? contract.Name.ToLowerInvariant()).Trim('/');
        _initial = store;
        _store = store;
        _builder = builder;
        _settings = settings;
        Credentials = credentials;
        _routes = contract.Endpoints.Select(e => (e, new RouteTemplate(e.Path))).OrderByDescending(r => r.Item2.Literals).ToList();
    }

    /// <summary>The contract.</summary>
    public ContractSpec Contract { get; }

    /// <summary>Where the contract came from (file path or embedded resource name).</summary>
    public string Source { get; }

    /// <summary>The mount prefix, with a leading slash and no trailing slash.</summary>
    public string Prefix { get; }

    /// <summary>The model of the stored items.</summary>
    public ModelSpec DatasetModel { get; }

    /// <summary>The current dataset snapshot.</summary>
    public ItemStore Store => _store;

    /// <summary>The demo credentials and issued tokens.</summary>
    public CredentialStore Credentials { get; }

    /// <summary>Builds the runtime of a contract: columns, dataset, credentials.</summary>
    public static ApiRuntime Create(ContractSpec contract, string source, ApiSettings settings)
    {
        var mock = contract.Mock;
        var modelName = mock?.DatasetModel
            ?? contract.Endpoints.FirstOrDefault(e => e.Response.Kind == ResponseKind.List)?.Response.Model
            ?? throw new InvalidOperationException($"{contract.Name}: no dataset model (mock.dataset.model) and no list endpoint.");
        var model = contract.FindModel(modelName) ?? throw new InvalidOperationException($"{contract.Name}: dataset model {modelName} not found.");
        mock ??= new MockSpec("/" + contract.Name.ToLowerInvariant(), EquatableArray<MockCredentialSpec>.Empty, modelName, null, null, EquatableArray<MockCombination>.Empty);
        var now = settings.Time.GetUtcNow();
        var builder = new DatasetBuilder(contract with { Mock = mock }, model, settings.Seed, now);
        var columns = Columns(contract, model, builder.IdPath, mock.Time?.Field);

        var (examples, projections) = builder.Examples();
        var items = new List<JsonObject>(examples);
        var lastId = Cell.Missing;
        var idDef = columns.First(c => c.Path == builder.IdPath);
        foreach (var item in examples)
        {
            lastId = Max(lastId, ItemStore.Extract(contract, item, idDef));
        }

        var nextId = builder.NextNumericId(lastId);
        foreach (var item in settings.DataItems)
        {
            var copy = (JsonObject)item.DeepClone();
            builder.Complete(copy, ref nextId, now);
            items.Add(copy);
            lastId = Max(lastId, ItemStore.Extract(contract, copy, idDef));
        }

        // One pass: each synthetic item is serialized into the store and dropped before the next is made.
        var events = Math.Max(0, settings.Events);
        var store = ItemStore.Create(contract, columns, builder.IdPath, items.Concat(builder.Synthetic(events, lastId)), projections, items.Count + events);
        var credentials = new CredentialStore(contract, BuildCredentials(contract, mock, settings.CredentialOverrides));
        return new ApiRuntime(contract, source, model, store, builder, credentials, settings);
    }

    private static Cell Max(Cell a, Cell b) => Cell.Compare(a, b) >= 0 ? a : b;

    private static List<Credential> BuildCredentials(ContractSpec contract, MockSpec mock, IReadOnlyList<string> overrides)
    {
        var list = new List<Credential>();
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in overrides)
        {
            // [api:]scheme=value
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var target = text[..eq];
            var colon = target.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                if (!string.Equals(target[..colon], contract.Name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                target = target[(colon + 1)..];
            }

            if (contract.FindScheme(target) is { } scheme)
            {
                replaced.Add(scheme.Name);
                list.Add(new Credential(scheme.Name, scheme.Kind, text[(eq + 1)..], true, "Set on the command line."));
            }
        }

        foreach (var c in mock.Credentials)
        {
            if (contract.FindScheme(c.Scheme) is { } scheme && !(replaced.Contains(c.Scheme) && c.Access == CredentialAccess.Read))
            {
                list.Add(new Credential(scheme.Name, scheme.Kind, c.Value, c.Access == CredentialAccess.Read, c.Description));
            }
        }

        return list;
    }

    /// <summary>The columns the contract's semantics, orders and dataset refer to.</summary>
    private static List<ColumnDef> Columns(ContractSpec contract, ModelSpec model, string idPath, string? timePath)
    {
        var defs = new Dictionary<string, ColumnDef>(StringComparer.Ordinal);
        void Add(string path, bool sorted)
        {
            var type = contract.ResolvePath(model, path)?.LastOrDefault()?.Type;
            if (type is null)
            {
                return;
            }

            sorted |= defs.TryGetValue(path, out var existing) && existing.Sorted;
            defs[path] = new ColumnDef(path, type, sorted);
        }

        Add(idPath, true);
        if (timePath is not null)
        {
            Add(timePath, true);
        }

        foreach (var endpoint in contract.Endpoints)
        {
            if (endpoint.Order is { } order)
            {
                Add(MapPath(contract, model, endpoint, order.Field), true);
            }

            foreach (var p in endpoint.Parameters)
            {
                if (p.Semantics.Field is { } field)
                {
                    var sorted = p.Semantics.Kind is SemanticsKind.GreaterThan or SemanticsKind.LessThan or SemanticsKind.CursorStart or SemanticsKind.RelativeWindow or SemanticsKind.SortOrder;
                    Add(MapPath(contract, model, endpoint, field), sorted);
                }
            }
        }

        return defs.Values.ToList();
    }

    private static string MapPath(ContractSpec contract, ModelSpec datasetModel, EndpointSpec endpoint, string path)
    {
        if (endpoint.Response.Model is not { } name || name == datasetModel.Name || contract.FindModel(name) is not { } model)
        {
            return path;
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var first = dot < 0 ? path : path[..dot];
        return model.FindField(first)?.Mock?.From is { } from ? from + (dot < 0 ? string.Empty : path[dot..]) : path;
    }

    /// <summary>The store column of a field path of an endpoint's response model.</summary>
    public string ColumnPath(EndpointSpec endpoint, string path) => MapPath(Contract, DatasetModel, endpoint, path);

    /// <summary>The type of a field path of an endpoint's response model.</summary>
    public TypeRef? FieldType(EndpointSpec endpoint, string path)
    {
        var model = endpoint.Response.Model is { } name ? Contract.FindModel(name) ?? DatasetModel : DatasetModel;
        return Contract.ResolvePath(model, path)?.LastOrDefault()?.Type ?? Contract.ResolvePath(DatasetModel, ColumnPath(endpoint, path))?.LastOrDefault()?.Type;
    }

    /// <summary>Finds the endpoint of a path below the prefix. <paramref name="methodMismatch"/> is set when only the method differs.</summary>
    public (EndpointSpec Endpoint, Dictionary<string, string> Values)? Match(string method, string path, out bool methodMismatch)
    {
        methodMismatch = false;
        foreach (var (endpoint, route) in _routes)
        {
            if (route.Match(path) is not { } values)
            {
                continue;
            }

            if (!string.Equals(endpoint.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                methodMismatch = true;
                continue;
            }

            return (endpoint, values);
        }

        return null;
    }

    /// <summary>The JSON of item <paramref name="seq"/> as the endpoint's response model shows it.</summary>
    public ReadOnlyMemory<byte> RawFor(ItemStore store, EndpointSpec endpoint, int seq)
    {
        if (endpoint.Response.Model is not { } name || name == DatasetModel.Name || Contract.FindModel(name) is not { } model)
        {
            return store.Raw(seq);
        }

        if (store.Override(name, seq) is { } verbatim)
        {
            return verbatim;
        }

        // Projections are deterministic per item, so the cache may forget: it is kept bounded
        // rather than growing to a second copy of a large dataset under a full feed walk.
        if (_projections.TryGetValue((name, seq), out var cached))
        {
            return cached;
        }

        if (_projections.Count >= MaxCachedProjections)
        {
            _projections.Clear();
        }

        return _projections.GetOrAdd((name, seq), key => Project(store, model, key.Seq));
    }

    /// <summary>
    /// Projects a stored item onto another model: fields copied by JSON name, renamed ones via
    /// their <c>from</c> hint, the others generated (deterministically per item).
    /// </summary>
    private byte[] Project(ItemStore store, ModelSpec model, int seq)
    {
        var source = store.Node(seq);
        var generator = new ValueGenerator(Contract, unchecked((_settings.Seed * 31) + seq + StableHash(model.Name)), _settings.Time.GetUtcNow(), TimeSpan.FromDays(30));
        var result = new JsonObject();
        foreach (var field in model.Fields)
        {
            var name = field.Mock?.From ?? field.JsonName;
            if (DatasetBuilder.Lookup(source, name) is { } value)
            {
                result[field.JsonName] = value.DeepClone();
            }
            else if (source.ContainsKey(name))
            {
                result[field.JsonName] = null;
            }
            else if (!field.Optional)
            {
                result[field.JsonName] = generator.Field(model, field, seq, 0);
            }
        }

        generator.Finish(model, result);
        return Encoding.UTF8.GetBytes(result.ToJsonString(ItemStore.JsonOptions));
    }

    private static int StableHash(string text)
    {
        var hash = unchecked((int)2166136261);
        foreach (var ch in text)
        {
            hash = unchecked((hash ^ ch) * 16777619);
        }

        return hash;
    }

    /// <summary>
    /// When appended items are stamped: now, or just after the latest item when that is not earlier. A real server's
    /// clock moves on between appends; a frozen or fixed test clock must not put new events behind a cursor that
    /// already passed them.
    /// </summary>
    private DateTimeOffset AfterLatest(ItemStore store, DateTimeOffset now)
    {
        if (_builder.TimePath is not { } path || store.SortedBy(path) is not { Length: > 0 } sorted || store.Column(path) is not { } times)
        {
            return now;
        }

        for (var i = sorted.Length - 1; i >= 0; i--)
        {
            if (times[sorted[i]] is { Kind: CellKind.Number } latest)
            {
                // Time cells are epoch nanoseconds.
                var at = DateTimeOffset.UnixEpoch.AddTicks(latest.Number / 100);
                return at >= now ? at.AddMilliseconds(1) : now;
            }
        }

        return now;
    }

    /// <summary>Appends items (given, completed with ids and times) or <paramref name="count"/> synthetic ones at the current time (after the latest item).</summary>
    public IReadOnlyList<JsonObject> Append(IReadOnlyList<JsonObject>? items, int count)
    {
        lock (_writeLock)
        {
            var store = _store;
            var index = store.SortedBy(store.IdPath)!;
            var lastId = index.Length == 0 ? Cell.Missing : store.Column(store.IdPath)![index[^1]];

            var now = AfterLatest(store, _settings.Time.GetUtcNow());
            List<JsonObject> added;
            if (items is { Count: > 0 })
            {
                added = new List<JsonObject>();
                var nextId = _builder.NextNumericId(lastId);
                foreach (var item in items)
                {
                    var copy = (JsonObject)item.DeepClone();
                    _builder.Complete(copy, ref nextId, now);
                    added.Add(copy);
                }
            }
            else
            {
                added = _builder.Appended(Math.Max(0, count), lastId, now);
            }

            _store = store.Append(added);
            return added;
        }
    }

    /// <summary>Restores the dataset as it was at start.</summary>
    public void Reset()
    {
        lock (_writeLock)
        {
            _store = _initial;
            _projections.Clear();
            Credentials.ClearIssued();
        }
    }
}
