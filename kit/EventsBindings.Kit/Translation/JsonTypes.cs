using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Translation;

/// <summary>The JSON shape of a scalar type of a contract: JSON type, format, pattern and bounds.</summary>
/// <param name="JsonType">The JSON Schema type name: <c>integer</c>, <c>number</c>, <c>boolean</c> or <c>string</c>; null for any JSON value.</param>
/// <param name="Format">The JSON Schema / OpenAPI format, or null.</param>
/// <param name="Pattern">A regular expression the string matches, or null.</param>
/// <param name="Minimum">The least value of an integer, or null.</param>
/// <param name="Maximum">The greatest value of an integer, or null.</param>
/// <param name="Encoding">The contract's timestamp encoding name (for <c>x-encoding</c>), or null.</param>
internal readonly record struct ScalarShape(string? JsonType, string? Format, string? Pattern, long? Minimum, long? Maximum, string? Encoding);

/// <summary>Maps contract types to JSON shapes, shared by the JSON Schema and the OpenAPI translators.</summary>
internal static class JsonTypes
{
    /// <summary>ISO 8601 date and time without an offset (what <c>isoLocal</c> and <c>isoUtc</c> carry).</summary>
    public const string IsoWithoutOffsetPattern = @"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$";

    /// <summary>ISO 8601 date and time with <c>Z</c> or an offset.</summary>
    public const string IsoWithOffsetPattern = @"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$";

    /// <summary>A calendar date.</summary>
    public const string DatePattern = @"^\d{4}-\d{2}-\d{2}$";

    /// <summary>The JSON shape of a scalar kind (not a model, enum or array).</summary>
    public static ScalarShape Scalar(TypeKind kind, TimestampEncoding encoding) => kind switch
    {
        TypeKind.Int32 => new ScalarShape("integer", "int32", null, int.MinValue, int.MaxValue, null),
        TypeKind.Int64 => new ScalarShape("integer", "int64", null, null, null, null),
        TypeKind.Number => new ScalarShape("number", "double", null, null, null, null),
        TypeKind.Boolean => new ScalarShape("boolean", null, null, null, null, null),
        TypeKind.String => new ScalarShape("string", null, null, null, null, null),
        TypeKind.Date => new ScalarShape("string", "date", DatePattern, null, null, null),
        TypeKind.Timestamp => encoding switch
        {
            TimestampEncoding.EpochMillis => new ScalarShape("integer", "int64", null, null, null, "epochMillis"),
            // No int64 format: nanosecond values exceed 2^53, and JavaScript validators (Prism) read
            // "int64" as "a safe JavaScript integer". x-encoding says what it is.
            TimestampEncoding.EpochNanos => new ScalarShape("integer", null, null, null, null, "epochNanos"),
            TimestampEncoding.Iso => new ScalarShape("string", "date-time", IsoWithOffsetPattern, null, null, "iso"),
            TimestampEncoding.IsoUtc => new ScalarShape("string", null, IsoWithoutOffsetPattern, null, null, "isoUtc"),
            _ => new ScalarShape("string", null, IsoWithoutOffsetPattern, null, null, "isoLocal"),
        },
        _ => new ScalarShape(null, null, null, null, null, null),
    };

    /// <summary>The JSON type of an enum's values.</summary>
    public static string EnumJsonType(EnumSpec e) => e.UnderlyingType is TypeKind.Int32 or TypeKind.Int64 ? "integer" : "string";

    /// <summary>
    /// The JSON value of a text written in a contract (a default, an enum value, an example query
    /// value) for a type: numbers for integer-like types, booleans, else a string.
    /// </summary>
    public static JsonNode? Value(ContractSpec contract, TypeRef type, string text)
    {
        var kind = type.Kind;
        var encoding = type.Encoding;
        if (kind == TypeKind.Enum && contract.FindEnum(type.Name!) is { } e)
        {
            kind = e.UnderlyingType;
            encoding = TimestampEncoding.None;
        }

        return ScalarValue(kind, encoding, text);
    }

    /// <summary>The JSON value of a text for a scalar kind.</summary>
    public static JsonNode? ScalarValue(TypeKind kind, TimestampEncoding encoding, string text)
    {
        switch (kind)
        {
            case TypeKind.Int32:
            case TypeKind.Int64:
            case TypeKind.Timestamp when encoding is TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return JsonValue.Create(l);
                }

                break;
            case TypeKind.Number:
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    return JsonValue.Create(d);
                }

                break;
            case TypeKind.Boolean:
                if (bool.TryParse(text, out var b))
                {
                    return JsonValue.Create(b);
                }

                break;
            case TypeKind.Json:
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    break;
                }
        }

        return JsonValue.Create(text);
    }

    /// <summary>The <c>x-provenance</c> value of a provenance.</summary>
    public static JsonObject Provenance(Provenance provenance)
    {
        var node = new JsonObject { ["kind"] = Camel(provenance.Kind.ToString()) };
        if (provenance.Note is not null)
        {
            node["note"] = provenance.Note;
        }

        return node;
    }

    /// <summary>An enum member name in the contract format's spelling (camelCase).</summary>
    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    /// <summary>Every model and enum reachable from <paramref name="roots"/>, in contract order.</summary>
    public static (List<ModelSpec> Models, List<EnumSpec> Enums) Reachable(ContractSpec contract, IEnumerable<TypeRef> roots)
    {
        var models = new HashSet<string>(StringComparer.Ordinal);
        var enums = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<TypeRef>(roots);
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            if (type.Kind == TypeKind.Enum && type.Name is not null)
            {
                enums.Add(type.Name);
            }
            else if (type.Kind == TypeKind.Model && type.Name is not null && models.Add(type.Name) && contract.FindModel(type.Name) is { } model)
            {
                foreach (var field in model.Fields)
                {
                    pending.Push(field.Type);
                }
            }
        }

        return (contract.Models.Where(m => models.Contains(m.Name)).ToList(), contract.Enums.Where(e => enums.Contains(e.Name)).ToList());
    }

    /// <summary>Serializes a node as indented JSON with a final newline.</summary>
    public static string ToJson(JsonNode node)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return node.ToJsonString(options) + "\n";
    }

    /// <summary>A file name made of the characters a file system accepts everywhere.</summary>
    public static string SafeFileName(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        return new string(chars);
    }
}
