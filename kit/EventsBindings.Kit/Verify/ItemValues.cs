using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify;

/// <summary>Reads and compares the values of items (JSON) by the contract's field paths and semantics.</summary>
internal static class ItemValues
{
    /// <summary>The value at a dotted field path, or null when a step is absent, null or not an object.</summary>
    public static JsonElement? At(JsonElement item, string path)
    {
        var current = item;
        foreach (var step in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out var next))
            {
                return null;
            }

            current = next;
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    /// <summary>A value as the text a query carries.</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>The type of the field a path ends at, or null.</summary>
    public static FieldSpec? Field(ContractSpec contract, ModelSpec model, string path) => contract.ResolvePath(model, path) is { Count: > 0 } fields ? fields[fields.Count - 1] : null;

    /// <summary>
    /// The parameter text that selects <paramref name="value"/> (a value of <paramref name="field"/>) for
    /// a parameter of <paramref name="parameterType"/>: the value itself, or its UTC day for a date parameter.
    /// </summary>
    public static string? ParameterText(JsonElement value, FieldSpec field, TypeRef parameterType)
    {
        if (parameterType.Element.Kind == TypeKind.Date && field.Type.Kind == TypeKind.Timestamp)
        {
            return Instant(value, field.Type.Encoding) is { } instant ? instant.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        }

        return Text(value);
    }

    /// <summary>True when two texts are equal under the parameter's case rule.</summary>
    public static bool SameText(string a, string b, bool caseInsensitive) =>
        string.Equals(a, b, caseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>
    /// Compares an item's value with a parameter's value for range semantics (greaterThan, lessThan,
    /// cursorStart): negative when the item's value is smaller. Null when they cannot be compared.
    /// A date parameter against a timestamp compares whole UTC days.
    /// </summary>
    public static int? Compare(JsonElement itemValue, FieldSpec field, string parameterText, TypeRef parameterType)
    {
        var p = parameterType.Element;
        if (p.Kind == TypeKind.Date)
        {
            if (!DateTime.TryParseExact(parameterText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return null;
            }

            DateTime? itemDay = field.Type.Kind == TypeKind.Timestamp
                ? Instant(itemValue, field.Type.Encoding)?.Date
                : itemValue.ValueKind == JsonValueKind.String && DateTime.TryParseExact(itemValue.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            return itemDay?.CompareTo(day.Date);
        }

        if (field.Type.Kind == TypeKind.Timestamp && field.Type.Encoding is TimestampEncoding.Iso or TimestampEncoding.IsoUtc or TimestampEncoding.IsoLocal
            && p.Kind == TypeKind.Timestamp && p.Encoding is TimestampEncoding.Iso or TimestampEncoding.IsoUtc or TimestampEncoding.IsoLocal)
        {
            var a = Instant(itemValue, field.Type.Encoding);
            var b = ParseIso(parameterText);
            return a is not null && b is not null ? a.Value.CompareTo(b.Value) : null;
        }

        if (itemValue.ValueKind == JsonValueKind.Number && decimal.TryParse(parameterText, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && itemValue.TryGetDecimal(out var itemNumber))
        {
            return itemNumber.CompareTo(number);
        }

        if (itemValue.ValueKind == JsonValueKind.String)
        {
            return string.CompareOrdinal(itemValue.GetString(), parameterText);
        }

        return null;
    }

    /// <summary>Compares two item values of the same field (for order checks); null when they cannot be compared.</summary>
    public static int? CompareItems(JsonElement a, JsonElement b, FieldSpec field)
    {
        if (field.Type.Kind == TypeKind.Timestamp && field.Type.Encoding is TimestampEncoding.Iso or TimestampEncoding.IsoUtc or TimestampEncoding.IsoLocal)
        {
            var x = Instant(a, field.Type.Encoding);
            var y = Instant(b, field.Type.Encoding);
            return x is not null && y is not null ? x.Value.CompareTo(y.Value) : null;
        }

        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number && a.TryGetDecimal(out var m) && b.TryGetDecimal(out var n))
        {
            return m.CompareTo(n);
        }

        if (a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String)
        {
            return string.CompareOrdinal(a.GetString(), b.GetString());
        }

        return null;
    }

    /// <summary>The instant (UTC for epoch and offset encodings, as written otherwise) of a timestamp value.</summary>
    public static DateTime? Instant(JsonElement value, TimestampEncoding encoding)
    {
        switch (encoding)
        {
            case TimestampEncoding.EpochMillis when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms):
                return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
            case TimestampEncoding.EpochNanos when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ns):
                return DateTime.UnixEpoch.AddTicks(ns / 100);
            case TimestampEncoding.Iso or TimestampEncoding.IsoUtc or TimestampEncoding.IsoLocal when value.ValueKind == JsonValueKind.String:
                return ParseIso(value.GetString()!);
            default:
                return null;
        }
    }

    private static DateTime? ParseIso(string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value.UtcDateTime;
        }

        return null;
    }
}
