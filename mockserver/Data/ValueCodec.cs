using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Data;

/// <summary>Converts between JSON values, wire text and <see cref="Cell"/>s, by contract type.</summary>
internal static class ValueCodec
{
    private const long NanosPerMilli = 1_000_000;
    private const long NanosPerTick = 100;
    private static readonly string[] IsoFormats =
    {
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss",
    };

    /// <summary>Epoch nanoseconds of a UTC instant.</summary>
    public static long ToNanos(DateTimeOffset instant) => checked((instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick);

    /// <summary>True when an instant can be held as epoch nanoseconds (years 1678 to 2261).</summary>
    public static bool InNanosRange(DateTimeOffset instant) => instant.UtcDateTime.Year is > 1677 and < 2262;

    /// <summary>The UTC instant of epoch nanoseconds.</summary>
    public static DateTimeOffset FromNanos(long nanos) => new(DateTimeOffset.UnixEpoch.UtcTicks + (nanos / NanosPerTick), TimeSpan.Zero);

    /// <summary>The kind of the underlying scalar of a type (enums resolve to their representation).</summary>
    public static TypeKind ScalarKind(ContractSpec contract, TypeRef type)
    {
        if (type.Kind == TypeKind.Enum)
        {
            return contract.FindEnum(type.Name!)?.UnderlyingType ?? TypeKind.String;
        }

        return type.Kind;
    }

    /// <summary>Reads a JSON value of a field as a comparable cell.</summary>
    public static Cell FromJson(ContractSpec contract, TypeRef type, JsonNode? node)
    {
        if (node is null)
        {
            return Cell.Null;
        }

        if (node is not JsonValue value || type.IsArray)
        {
            return Cell.Missing;
        }

        var kind = value.GetValueKind();
        switch (ScalarKind(contract, type))
        {
            case TypeKind.Int32:
            case TypeKind.Int64:
                return kind == JsonValueKind.Number && value.TryGetValue<long>(out var l) ? Cell.Of(l)
                    : kind == JsonValueKind.String ? Cell.Of(value.GetValue<string>()) : Cell.Missing;
            case TypeKind.Number:
                return kind == JsonValueKind.Number ? Cell.OfReal(value.GetValue<double>()) : Cell.Missing;
            case TypeKind.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False ? Cell.Of(kind == JsonValueKind.True) : Cell.Missing;
            case TypeKind.Timestamp:
                return TimestampCell(type.Encoding, value, kind);
            case TypeKind.Date:
                return kind == JsonValueKind.String && TryParseDate(value.GetValue<string>(), out var day) ? Cell.Of(ToNanos(day)) : Cell.Missing;
            case TypeKind.String:
                return kind == JsonValueKind.String ? Cell.Of(value.GetValue<string>())
                    : kind == JsonValueKind.Number ? Cell.Of(value.ToJsonString()) : Cell.Missing;
            default:
                return Cell.Missing;
        }
    }

    private static Cell TimestampCell(TimestampEncoding encoding, JsonValue value, JsonValueKind kind)
    {
        if (kind == JsonValueKind.Number && value.TryGetValue<long>(out var number))
        {
            return encoding == TimestampEncoding.EpochNanos ? Cell.Of(number)
                : number is > -9_200_000_000_000 and < 9_200_000_000_000 ? Cell.Of(number * NanosPerMilli) : Cell.Missing;
        }

        if (kind == JsonValueKind.String && TryParseInstant(value.GetValue<string>(), encoding, out var instant))
        {
            return Cell.Of(ToNanos(instant));
        }

        return Cell.Missing;
    }

    /// <summary>Parses an ISO 8601 text; without an offset it is taken as UTC.</summary>
    public static bool TryParseIso(string text, out DateTimeOffset instant)
    {
        if (DateTime.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            instant = new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc));
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant)
            && text.Contains('T', StringComparison.Ordinal);
    }

    /// <summary>Parses a timestamp's wire text in its encoding.</summary>
    public static bool TryParseInstant(string text, TimestampEncoding encoding, out DateTimeOffset instant)
    {
        instant = default;
        switch (encoding)
        {
            case TimestampEncoding.EpochMillis:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) && ms is > -9_200_000_000_000 and < 9_200_000_000_000)
                {
                    instant = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                    return true;
                }

                return false;
            case TimestampEncoding.EpochNanos:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ns))
                {
                    instant = FromNanos(ns);
                    return true;
                }

                return false;
            default:
                return TryParseIso(text, out instant) && InNanosRange(instant);
        }
    }

    /// <summary>Parses a calendar date <c>yyyy-MM-dd</c> as the UTC start of that day.</summary>
    public static bool TryParseDate(string text, out DateTimeOffset day)
    {
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            day = new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc));

            // 9999-12-31 has no next day: AddDays would throw (a 500 instead of a 400).
            return day < DateTimeOffset.MaxValue.AddDays(-1) && InNanosRange(day.AddDays(1));
        }

        day = default;
        return false;
    }

    /// <summary>
    /// Writes an instant as a JSON value in a timestamp encoding. ISO texts carry exactly
    /// <paramref name="fractionDigits"/> digits of the second's fraction (truncated, so that the
    /// order of instants is kept), or up to 7 with trailing zeros dropped when it is null.
    /// </summary>
    public static JsonNode WriteTimestamp(DateTimeOffset instant, TimestampEncoding encoding, int? fractionDigits = null) => encoding switch
    {
        TimestampEncoding.EpochMillis => JsonValue.Create(instant.ToUnixTimeMilliseconds()),
        TimestampEncoding.EpochNanos => JsonValue.Create(ToNanos(instant)),
        TimestampEncoding.Iso => JsonValue.Create(instant.ToUniversalTime().ToString(IsoPattern(fractionDigits) + "'Z'", CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(instant.UtcDateTime.ToString(IsoPattern(fractionDigits), CultureInfo.InvariantCulture)),
    };

    private static string IsoPattern(int? fractionDigits) => fractionDigits switch
    {
        null => "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        <= 0 => "yyyy-MM-dd'T'HH:mm:ss",
        { } digits => "yyyy-MM-dd'T'HH:mm:ss." + new string('f', Math.Min(7, digits)),
    };

    /// <summary>Converts a textual value (from a contract's mock hints) to a JSON value of a type.</summary>
    public static JsonNode? FromText(ContractSpec contract, TypeRef type, string text)
    {
        switch (ScalarKind(contract, type.Element))
        {
            case TypeKind.Int32:
            case TypeKind.Int64:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : JsonValue.Create(text);
            case TypeKind.Number:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : JsonValue.Create(text);
            case TypeKind.Boolean:
                return JsonValue.Create(string.Equals(text, "true", StringComparison.OrdinalIgnoreCase));
            case TypeKind.Json:
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    return JsonValue.Create(text);
                }

            default:
                return JsonValue.Create(text);
        }
    }
}
