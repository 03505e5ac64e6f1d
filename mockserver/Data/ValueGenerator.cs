using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Data;

/// <summary>
/// Invents JSON values for a contract's models from the field types and the fields' mock hints.
/// Deterministic for a given seed. Enum fields cycle through all their values on every other
/// item so that every value is present even in small datasets.
/// </summary>
internal sealed class ValueGenerator
{
    private const int MaxDepth = 8;
    private readonly ContractSpec _contract;
    private readonly Faker _faker;
    private readonly DateTimeOffset _now;
    private readonly TimeSpan _span;
    private readonly Dictionary<string, int> _cycles = new(StringComparer.Ordinal);
    private readonly Dictionary<FieldMockSpec, string[]> _values = new(ReferenceEqualityComparer.Instance);

    public ValueGenerator(ContractSpec contract, int seed, DateTimeOffset now, TimeSpan span)
    {
        _contract = contract;
        _faker = new Faker("en") { Random = new Randomizer(seed) };
        _now = now;
        _span = span <= TimeSpan.Zero ? TimeSpan.FromDays(30) : span;
    }

    /// <summary>The random source.</summary>
    public Randomizer Random => _faker.Random;

    /// <summary>A deterministic UUID from the random source.</summary>
    public string Uuid()
    {
        var bytes = _faker.Random.Bytes(16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    /// <summary>Generates an object of <paramref name="model"/> (hints that depend on siblings are applied by <see cref="Finish"/>).</summary>
    public JsonObject Model(ModelSpec model, int index, int depth = 0)
    {
        var obj = new JsonObject();
        foreach (var field in model.Fields)
        {
            var mock = field.Mock;
            if (mock is not null && mock.NullRate > 0 && (field.Nullable || field.Optional) && _faker.Random.Double() < mock.NullRate)
            {
                if (field.Optional && (!field.Nullable || _faker.Random.Bool()))
                {
                    continue;
                }

                obj[field.JsonName] = null;
                continue;
            }

            obj[field.JsonName] = mock is { CopyOf: not null } or { Describes: not null } or { From: not null } ? null : Field(model, field, index, depth);
        }

        return obj;
    }

    /// <summary>Applies sibling-dependent hints (<c>copyOf</c>, <c>describes</c>) over an object tree.</summary>
    public void Finish(ModelSpec model, JsonObject obj, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        foreach (var field in model.Fields)
        {
            if (!obj.TryGetPropertyValue(field.JsonName, out var value))
            {
                continue;
            }

            if (field.Type.Kind == TypeKind.Model && _contract.FindModel(field.Type.Name!) is { } nested)
            {
                if (value is JsonObject child)
                {
                    Finish(nested, child, depth + 1);
                }
                else if (value is JsonArray array)
                {
                    foreach (var element in array.OfType<JsonObject>())
                    {
                        Finish(nested, element, depth + 1);
                    }
                }
            }
        }

        foreach (var field in model.Fields)
        {
            var mock = field.Mock;
            if (mock is null || !obj.ContainsKey(field.JsonName))
            {
                continue;
            }

            if (mock.CopyOf is { } source && obj.TryGetPropertyValue(source, out var copied))
            {
                obj[field.JsonName] = copied?.DeepClone();
            }
            else if (mock.Describes is { } described && model.FindField(described) is { } sibling
                && sibling.Type.Kind == TypeKind.Enum && _contract.FindEnum(sibling.Type.Name!) is { } e
                && obj.TryGetPropertyValue(described, out var enumValue) && enumValue is JsonValue ev)
            {
                var text = ev.ToJsonString().Trim('"');
                var i = e.IndexOf(text);
                obj[field.JsonName] = i >= 0 ? e.Values[i].Description ?? e.Values[i].Value : text;
            }
        }
    }

    /// <summary>Generates one field's value.</summary>
    public JsonNode? Field(ModelSpec owner, FieldSpec field, int index, int depth)
    {
        var type = field.Type;
        var mock = field.Mock;
        if (type.IsArray)
        {
            if (mock is { Values.Count: > 0 })
            {
                var picks = _faker.Random.Shuffle(mock.Values).Take(_faker.Random.Int(1, Math.Min(3, mock.Values.Count))).ToArray();
                return new JsonArray(picks.Select(p => ValueCodec.FromText(_contract, type, p)).ToArray());
            }

            if (depth >= MaxDepth)
            {
                return new JsonArray();
            }

            var n = _faker.Random.Int(1, 2);
            var array = new JsonArray();
            for (var i = 0; i < n; i++)
            {
                array.Add(Scalar(owner, field, type.Element, index, depth));
            }

            return array;
        }

        if (mock is { Values.Count: > 0 })
        {
            return ValueCodec.FromText(_contract, type, _faker.Random.ArrayElement(ValuesOf(mock)));
        }

        return Scalar(owner, field, type, index, depth);
    }

    private string[] ValuesOf(FieldMockSpec mock)
    {
        if (!_values.TryGetValue(mock, out var values))
        {
            values = mock.Values.ToArray();
            _values[mock] = values;
        }

        return values;
    }

    private JsonNode? Scalar(ModelSpec owner, FieldSpec field, TypeRef type, int index, int depth)
    {
        if (field.Mock?.Generate is { } generator)
        {
            return Generate(generator, type);
        }

        switch (type.Kind)
        {
            case TypeKind.Model:
                var model = _contract.FindModel(type.Name!);
                return model is null || depth >= MaxDepth ? null : Model(model, index, depth + 1);
            case TypeKind.Enum:
                var e = _contract.FindEnum(type.Name!);
                if (e is null || e.Values.Count == 0)
                {
                    return null;
                }

                return ValueCodec.FromText(_contract, type, EnumValue(owner.Name + "." + field.JsonName, e, index));
            case TypeKind.Int32:
                return JsonValue.Create(_faker.Random.Int(0, 100));
            case TypeKind.Int64:
                return JsonValue.Create(_faker.Random.Long(1, 1_000_000));
            case TypeKind.Number:
                return JsonValue.Create(Math.Round(_faker.Random.Double(0, 1000), 3));
            case TypeKind.Boolean:
                return JsonValue.Create(_faker.Random.Bool());
            case TypeKind.Timestamp:
                return ValueCodec.WriteTimestamp(RecentInstant(), type.Encoding);
            case TypeKind.Date:
                return JsonValue.Create(RecentInstant().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case TypeKind.Json:
                return null;
            default:
                return JsonValue.Create(_faker.Lorem.Word());
        }
    }

    /// <summary>An enum value: on every other item the next of a cycle over all values, else random.</summary>
    public string EnumValue(string key, EnumSpec e, int index)
    {
        if (index % 2 == 0)
        {
            _cycles.TryGetValue(key, out var next);
            _cycles[key] = next + 1;
            return e.Values[next % e.Values.Count].Value;
        }

        return e.Values[_faker.Random.Int(0, e.Values.Count - 1)].Value;
    }

    private DateTimeOffset RecentInstant() => _now - TimeSpan.FromTicks((long)(_faker.Random.Double() * _span.Ticks));

    private JsonNode? Generate(string generator, TypeRef type)
    {
        var f = _faker;
        string text;
        switch (generator)
        {
            case "uuid":
                text = Uuid();
                break;
            case "email":
                text = f.Internet.Email().ToLowerInvariant();
                break;
            case "fullName":
                text = f.Name.FullName();
                break;
            case "userName":
                text = f.Internet.UserName();
                break;
            case "hostName":
                text = f.Internet.DomainWord() + "-" + f.Random.Int(1, 99).ToString(CultureInfo.InvariantCulture) + "." + f.Internet.DomainName();
                break;
            case "ipv4":
                text = f.Internet.Ip();
                break;
            case "ipPort":
                text = f.Internet.Ip() + ":" + f.Internet.Port().ToString(CultureInfo.InvariantCulture);
                break;
            case "macAddress":
                text = f.Internet.Mac();
                break;
            case "serial":
                text = f.Random.Replace("??##?####???").ToUpperInvariant();
                break;
            case "url":
                text = f.Internet.UrlWithPath("https");
                break;
            case "version":
                text = f.System.Semver();
                break;
            case "sha256":
                text = f.Random.Hexadecimal(64, string.Empty).ToUpperInvariant();
                break;
            case "sentence":
                text = f.Lorem.Sentence();
                break;
            case "epochNanos":
                return JsonValue.Create(ValueCodec.ToNanos(RecentInstant()) + f.Random.Int(0, 99));
            default:
                text = f.Lorem.Word();
                break;
        }

        return ValueCodec.FromText(_contract, type, text);
    }
}
