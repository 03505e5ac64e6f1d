using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Data;

/// <summary>
/// Builds a contract's dataset: the documented examples verbatim, optional user items, and
/// deterministic synthetic items whose ids and timestamps increase like the real API's.
/// </summary>
internal sealed class DatasetBuilder
{
    private readonly ContractSpec _contract;
    private readonly MockSpec _mock;
    private readonly ModelSpec _model;
    private readonly ValueGenerator _generator;
    private readonly DateTimeOffset _now;
    private readonly TimeSpan _span;
    private readonly List<(string Field, string Value)> _uncovered = new();
    private readonly List<(string Field, EnumSpec Enum)> _rated = new();
    private readonly List<MockCombination> _combinations;
    private readonly Dictionary<string, FieldSpec?> _fields = new(StringComparer.Ordinal);
    private int _uncoveredNext;
    private int _generated;

    public DatasetBuilder(ContractSpec contract, ModelSpec model, int seed, DateTimeOffset now)
    {
        _contract = contract;
        _mock = contract.Mock!;
        _model = model;
        _now = now;
        _span = TimeSpan.FromDays(Math.Max(1, _mock.Time?.Days ?? 30));
        _generator = new ValueGenerator(contract, seed, now, _span);
        _combinations = _mock.Combinations.Where(c => c.Values.All(v => RateOf(v.Name, v.Value) is not 0)).ToList();
        FindUncoveredCombinationValues();
    }

    /// <summary>The dataset id's path.</summary>
    public string IdPath => _mock.Id?.Field ?? "id";

    /// <summary>The path of the dataset's time field, or null when the contract's mock names none.</summary>
    public string? TimePath => _mock.Time?.Field;

    /// <summary>Items of the contract's examples whose model is the dataset model (deduplicated by id), and the examples of projected models.</summary>
    public (List<JsonObject> Items, List<(string Model, JsonObject Item)> Projections) Examples()
    {
        var items = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var projections = new List<(string, JsonObject)>();
        foreach (var endpoint in _contract.Endpoints)
        {
            if (endpoint.Response.Kind is not (ResponseKind.List or ResponseKind.Item) || endpoint.Response.Model is null)
            {
                continue;
            }

            foreach (var example in endpoint.Examples)
            {
                if (example.Status is < 200 or > 299)
                {
                    continue;
                }

                foreach (var item in Unwrap(endpoint.Response, example.Body))
                {
                    if (endpoint.Response.Model == _model.Name)
                    {
                        var key = IdKey(item);
                        if (key is null || seen.Add(key))
                        {
                            items.Add(item);
                        }
                    }
                    else
                    {
                        projections.Add((endpoint.Response.Model, item));
                    }
                }
            }
        }

        return (items, projections);
    }

    /// <summary>Unwraps a list or item payload (with its envelope) into item objects.</summary>
    public static IEnumerable<JsonObject> Unwrap(ResponseSpec response, string body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            yield break;
        }

        if (response.Envelope is { } envelope && node is JsonObject wrapper && wrapper.TryGetPropertyValue(envelope, out var inner))
        {
            node = inner;
        }

        if (node is JsonArray array)
        {
            foreach (var element in array.OfType<JsonObject>())
            {
                yield return (JsonObject)element.DeepClone();
            }
        }
        else if (node is JsonObject obj)
        {
            yield return obj;
        }
    }

    private string? IdKey(JsonObject item) => Lookup(item, IdPath) is JsonValue v ? v.ToJsonString() : null;

    /// <summary>The JSON node at a dotted path, or null.</summary>
    public static JsonNode? Lookup(JsonObject item, string path)
    {
        JsonNode? node = item;
        foreach (var step in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(step, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Sets the value at a dotted path when its parent objects exist.</summary>
    public static void Assign(JsonObject item, string path, JsonNode? value)
    {
        var steps = path.Split('.');
        JsonObject current = item;
        for (var i = 0; i < steps.Length - 1; i++)
        {
            if (current[steps[i]] is not JsonObject next)
            {
                return;
            }

            current = next;
        }

        current[steps[^1]] = value;
    }

    /// <summary>Generates <paramref name="count"/> synthetic items with ids above <paramref name="lastId"/>, spread over the dataset's days up to now.</summary>
    public IEnumerable<JsonObject> Synthetic(int count, Cell lastId)
    {
        var offsets = new double[count];
        for (var i = 0; i < count; i++)
        {
            offsets[i] = _generator.Random.Double();
        }

        Array.Sort(offsets);
        var start = _now - _span;
        var nextId = new long[] { NextNumericId(lastId) };
        for (var i = 0; i < count; i++)
        {
            var at = start + TimeSpan.FromTicks((long)(offsets[i] * (_span.Ticks - TimeSpan.TicksPerSecond)));
            yield return One(at, ref nextId[0]);
        }
    }

    /// <summary>Generates items appended at run time at <paramref name="at"/> and later.</summary>
    public List<JsonObject> Appended(int count, Cell lastId, DateTimeOffset at)
    {
        var items = new List<JsonObject>(count);
        var nextId = NextNumericId(lastId);
        for (var i = 0; i < count; i++)
        {
            items.Add(One(at + TimeSpan.FromMilliseconds(i), ref nextId));
        }

        return items;
    }

    /// <summary>Completes a user-supplied item: assigns an id and a time when absent.</summary>
    public void Complete(JsonObject item, ref long nextId, DateTimeOffset at)
    {
        if (Lookup(item, IdPath) is null)
        {
            Assign(item, IdPath, NewId(ref nextId));
        }

        if (_mock.Time is { } time && Lookup(item, time.Field) is null && Field(time.Field) is { } field)
        {
            Assign(item, time.Field, ValueCodec.WriteTimestamp(at, field.Type.Encoding, field.Mock?.FractionDigits));
        }
    }

    /// <summary>The next numeric id after the last one (for numeric ids).</summary>
    public long NextNumericId(Cell lastId)
    {
        var start = _mock.Id?.Start ?? 1;
        return lastId.Kind == CellKind.Number ? Math.Max(start, lastId.Number + 1) : start;
    }

    private JsonNode? NewId(ref long nextId)
    {
        if (_mock.Id is { Uuid: true })
        {
            return JsonValue.Create(_generator.Uuid());
        }

        var step = _generator.Random.Long(1, Math.Max(1, _mock.Id?.MaxStep ?? 1));
        var id = nextId;
        nextId = id + step;
        var field = Field(IdPath);
        return field is not null && ValueCodec.ScalarKind(_contract, field.Type) == TypeKind.String
            ? JsonValue.Create(id.ToString(CultureInfo.InvariantCulture))
            : JsonValue.Create(id);
    }

    private JsonObject One(DateTimeOffset at, ref long nextId)
    {
        var index = _generated++;
        var item = _generator.Model(_model, index);
        if (_combinations.Count > 0)
        {
            var combos = _combinations;
            var combo = index % 2 == 0 ? combos[(index / 2) % combos.Count] : combos[_generator.Random.Int(0, combos.Count - 1)];
            foreach (var pair in combo.Values)
            {
                // A combination sets values; it never undoes a null or an absence that the field's own
                // nullRate or absentRate drew (those rates hold for every field, combined or not).
                if (!IsUnset(item, pair.Name))
                {
                    SetText(item, pair.Name, pair.Value);
                }
            }

            if (_uncovered.Count > 0 && index % 10 == 5)
            {
                var (field, value) = _uncovered[_uncoveredNext++ % _uncovered.Count];
                SetText(item, field, value);
            }

            // Values with a rate (and unlisted ones) come at that rate, whatever the combination drew.
            foreach (var (field, e) in _rated)
            {
                if (_generator.Rated(e) is { } value)
                {
                    SetText(item, field, value);
                }
            }
        }

        Assign(item, IdPath, NewId(ref nextId));
        if (_mock.Time is { } time && Field(time.Field) is { } timeField)
        {
            Assign(item, time.Field, ValueCodec.WriteTimestamp(at, timeField.Type.Encoding, timeField.Mock?.FractionDigits));
        }

        _generator.Finish(_model, item);
        return item;
    }

    /// <summary>The field at a path of the dataset model (resolved once per path).</summary>
    private FieldSpec? Field(string path)
    {
        if (!_fields.TryGetValue(path, out var field))
        {
            field = _contract.ResolvePath(_model, path)?.LastOrDefault();
            _fields[path] = field;
        }

        return field;
    }

    /// <summary>Whether the field at <paramref name="path"/> is null or absent in <paramref name="item"/> (a null or absent parent counts: Assign skips it anyway).</summary>
    private static bool IsUnset(JsonObject item, string path)
    {
        JsonNode? current = item;
        foreach (var step in path.Split('.'))
        {
            if (current is not JsonObject o || !o.TryGetPropertyValue(step, out current) || current is null)
            {
                return true;
            }
        }

        return false;
    }

    private void SetText(JsonObject item, string path, string value)
    {
        var field = Field(path);
        if (field is not null)
        {
            Assign(item, path, ValueCodec.FromText(_contract, field.Type, value));
        }
    }

    /// <summary>The <c>mock.enums</c> rate of a value of the enum field at <paramref name="path"/>, or null.</summary>
    private double? RateOf(string path, string value) =>
        Field(path) is { Type.Kind: TypeKind.Enum } field && _mock.FindEnum(field.Type.Name!) is { } settings ? settings.RateOf(value) : null;

    /// <summary>
    /// The enum values that no combination lists and that have no rate (drawn in turn on every tenth
    /// item, so that every value occurs), and the combination fields whose enum has rates.
    /// </summary>
    private void FindUncoveredCombinationValues()
    {
        var fields = _combinations.SelectMany(c => c.Values).Select(v => v.Name).Distinct(StringComparer.Ordinal);
        foreach (var path in fields)
        {
            var field = Field(path);
            if (field?.Type.Kind != TypeKind.Enum || _contract.FindEnum(field.Type.Name!) is not { } e)
            {
                continue;
            }

            if (_mock.FindEnum(e.Name) is not null)
            {
                _rated.Add((path, e));
            }

            var used = new HashSet<string>(_combinations.SelectMany(c => c.Values).Where(v => v.Name == path).Select(v => v.Value), StringComparer.Ordinal);
            foreach (var value in e.Values.Where(v => !used.Contains(v.Value) && RateOf(path, v.Value) is null))
            {
                _uncovered.Add((path, value.Value));
            }
        }
    }
}
