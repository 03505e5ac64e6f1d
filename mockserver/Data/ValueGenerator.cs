using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Data;

/// <summary>
/// Invents JSON values for a contract's models from the field types and the fields' mock hints.
/// Deterministic for a given seed. Enum fields cycle through all their values on every other
/// item so that every value is present even in small datasets, except values whose rate
/// <c>mock.enums</c> sets (drawn at that rate) and values the enum does not list (drawn at its
/// <c>unknownRate</c>). Nullable fields are <c>null</c>, and optional fields absent, at the rates
/// the field, its model or the dataset sets (<see cref="ContractSpec.MockNullRate"/>).
/// </summary>
internal sealed class ValueGenerator
{
    private const int MaxDepth = 8;

    /// <summary>Stands for a field that <see cref="Finish"/> derives from its siblings; never served.</summary>
    private static readonly string Derived = "\u0001derived";
    private readonly ContractSpec _contract;
    private readonly Faker _faker;
    private readonly DateTimeOffset _now;
    private readonly TimeSpan _span;
    private readonly Dictionary<string, int> _cycles = new(StringComparer.Ordinal);
    private readonly Dictionary<FieldMockSpec, string[]> _values = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, string[]> _pools = new(StringComparer.Ordinal);

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
            if (Draws(_contract.MockAbsentRate(model, field)))
            {
                continue;
            }

            if (Draws(_contract.MockNullRate(model, field)))
            {
                obj[field.JsonName] = null;
                continue;
            }

            obj[field.JsonName] = field.Mock is { CopyOf: not null } or { Describes: not null } or { From: not null } ? JsonValue.Create(Derived) : Field(model, field, index, depth);
        }

        return obj;
    }

    /// <summary>True with probability <paramref name="rate"/>; draws nothing when the rate is 0, so contracts without rates keep their sequence.</summary>
    private bool Draws(double rate) => rate > 0 && _faker.Random.Double() < rate;

    private static bool IsDerived(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && string.Equals(text, Derived, StringComparison.Ordinal);

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
            // Absent, or null by its rate: stays so.
            var mock = field.Mock;
            if (mock is null || !obj.TryGetPropertyValue(field.JsonName, out var current) || current is null)
            {
                continue;
            }

            if (mock.CopyOf is { } source && obj.TryGetPropertyValue(source, out var copied) && !IsDerived(copied))
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
            else if (IsDerived(current))
            {
                // The sibling it derives from is absent: null where the contract allows it, else a value of its type.
                obj[field.JsonName] = field.Nullable ? null : Field(model, field with { Mock = null }, 0, depth);
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
                return ValueCodec.WriteTimestamp(RecentInstant(), type.Encoding, field.Mock?.FractionDigits);
            case TypeKind.Date:
                return JsonValue.Create(RecentInstant().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case TypeKind.Json:
                return null;
            default:
                return JsonValue.Create(_faker.Lorem.Word());
        }
    }

    /// <summary>
    /// An enum value: one drawn at its <c>mock.enums</c> rate (or an unlisted one at the enum's
    /// <c>unknownRate</c>); else, on every other item, the next of a cycle over the values without a
    /// rate, else a random one of them.
    /// </summary>
    public string EnumValue(string key, EnumSpec e, int index)
    {
        if (Rated(e) is { } rated)
        {
            return rated;
        }

        var pool = Pool(e);
        if (index % 2 == 0)
        {
            _cycles.TryGetValue(key, out var next);
            _cycles[key] = next + 1;
            return pool[next % pool.Length];
        }

        return pool[_faker.Random.Int(0, pool.Length - 1)];
    }

    /// <summary>
    /// A value drawn by the enum's <c>mock.enums</c> settings: unlisted with its <c>unknownRate</c>,
    /// or a listed value with its rate; null (and nothing drawn when no rate is above 0) otherwise.
    /// </summary>
    public string? Rated(EnumSpec e)
    {
        if (_contract.Mock?.FindEnum(e.Name) is not { } settings || (settings.UnknownRate <= 0 && settings.Rates.All(r => r.Rate <= 0)))
        {
            return null;
        }

        var u = _faker.Random.Double();
        if (u < settings.UnknownRate)
        {
            return Unlisted(e);
        }

        u -= settings.UnknownRate;
        foreach (var rate in settings.Rates)
        {
            if (u < rate.Rate)
            {
                return rate.Value;
            }

            u -= rate.Rate;
        }

        return null;
    }

    /// <summary>The values without a <c>mock.enums</c> rate (all values when every value has one).</summary>
    private string[] Pool(EnumSpec e)
    {
        if (!_pools.TryGetValue(e.Name, out var pool))
        {
            var settings = _contract.Mock?.FindEnum(e.Name);
            pool = e.Values.Select(v => v.Value).Where(v => settings?.RateOf(v) is null).ToArray();
            if (pool.Length == 0)
            {
                pool = e.Values.Select(v => v.Value).ToArray();
            }

            _pools[e.Name] = pool;
        }

        return pool;
    }

    /// <summary>A value the enum does not list: above its largest number, or a word that is none of its values.</summary>
    private string Unlisted(EnumSpec e)
    {
        if (e.UnderlyingType is TypeKind.Int32 or TypeKind.Int64)
        {
            var max = e.Values.Select(v => long.TryParse(v.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max();
            var number = Math.Min(max, (e.UnderlyingType == TypeKind.Int32 ? int.MaxValue : long.MaxValue) - 10) + _faker.Random.Int(1, 9);
            while (e.IndexOf(number.ToString(CultureInfo.InvariantCulture)) >= 0)
            {
                number--;
            }

            return number.ToString(CultureInfo.InvariantCulture);
        }

        var text = "Unlisted" + _faker.Random.Int(1, 9).ToString(CultureInfo.InvariantCulture);
        while (e.IndexOf(text) >= 0)
        {
            text += "X";
        }

        return text;
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
