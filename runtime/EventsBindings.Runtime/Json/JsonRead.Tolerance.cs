using System.Buffers.Text;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace EventsBindings.Runtime.Json;

// The slow paths of the readers: what happens when a value does not fit. In a tolerant JsonReadScope the
// value is recorded as drift and the reader moves past it (the caller uses a default, or a value converted
// without ambiguity); otherwise a JsonPayloadException names the path and field, as strict reading always did.
// None of this runs on input that fits the contract.
public static partial class JsonRead
{
    /// <summary>Below this magnitude an epoch value is taken as seconds (1e11 s is the year 5138).</summary>
    private const long SecondsBelow = 100_000_000_000L;

    /// <summary>Below this magnitude (and above seconds) an epoch value is taken as milliseconds.</summary>
    private const long MillisBelow = 100_000_000_000_000L;

    /// <summary>Below this magnitude (and above milliseconds) an epoch value is taken as microseconds; above, nanoseconds.</summary>
    private const long MicrosBelow = 100_000_000_000_000_000L;

    private static readonly string[] UnitNames = { "epoch seconds", "epoch milliseconds", "epoch microseconds", "epoch nanoseconds" };

    /// <summary>
    /// Changes when drift is recorded on this thread; generated readers compare it before and after an object
    /// to know whether to keep the object's JSON. Infrastructure of generated code.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static int DriftMark => JsonReadScope.Mark;

    /// <summary>
    /// The JSON of the object that starts at <paramref name="start"/> (a copy of the reader taken on its
    /// <c>{</c>), kept by a generated model whose JSON departed from the contract, so that writing it back
    /// gives the server's value. Infrastructure of generated code.
    /// </summary>
    /// <param name="start">The reader as it was on the object's <c>{</c>.</param>
    /// <returns>The object's JSON.</returns>
    /// <param name="extra">The object's extension data, created when null; holds the JSON in <see cref="JsonExtensionData.Original"/>.</param>
    /// <returns>The extension data.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static JsonExtensionData KeepJson(Utf8JsonReader start, JsonExtensionData? extra)
    {
        extra ??= new JsonExtensionData();
        extra.Original = JsonElement.ParseValue(ref start);
        return extra;
    }

    /// <summary>
    /// A property of a model type whose value is not an object: in a tolerant scope the value is reported and
    /// <paramref name="fallback"/> returned; otherwise it fails.
    /// </summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="r">The reader, on the value.</param>
    /// <param name="field">The contract field.</param>
    /// <param name="fallback">The value to use (null, or an empty model for a property that may not be null).</param>
    /// <returns><paramref name="fallback"/>.</returns>
    public static T NotAnObject<T>(ref Utf8JsonReader r, string field, T fallback) => Fallback(ref r, "an object", field, fallback);

    /// <summary>
    /// A value of a closed enum that the contract does not list: in a tolerant scope the value is kept and
    /// reported; otherwise it fails.
    /// </summary>
    /// <typeparam name="T">The enum type.</typeparam>
    /// <param name="r">The reader, on the value.</param>
    /// <param name="field">The contract field.</param>
    /// <param name="enumName">The enum's name.</param>
    /// <param name="value">The value read.</param>
    /// <returns><paramref name="value"/>.</returns>
    public static T Unlisted<T>(ref Utf8JsonReader r, string field, string enumName, T value)
    {
        var expected = "one of the values of " + enumName;
        return JsonReadScope.TryUnlisted(ref r, expected, field)
            ? value
            : throw new JsonPayloadException($"Expected {expected}, found a value the contract does not list", field);
    }

    /// <summary>A required property is absent from the object that ends at the reader: reported in a tolerant scope, fails otherwise.</summary>
    /// <param name="r">The reader, on the object's <c>}</c>.</param>
    /// <param name="model">The model name.</param>
    /// <param name="property">The JSON name of the property.</param>
    public static void Missing(ref Utf8JsonReader r, string model, string property)
    {
        if (!JsonReadScope.TryMissing(ref r, model, property))
        {
            throw JsonPayloadException.MissingField(model, property);
        }
    }

    /// <summary>
    /// Epoch milliseconds whose unit the contract declares uncertain: seconds, microseconds and nanoseconds are
    /// told apart by magnitude and converted (each conversion is reported as drift).
    /// </summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset EpochMillisAnyUnit(ref Utf8JsonReader r, string field) =>
        TryEpoch(ref r, field, 1, out var ms) && InMillisRange(ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default;

    /// <summary>Epoch milliseconds of uncertain unit, or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset? EpochMillisAnyUnitOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null : TryEpoch(ref r, field, 1, out var ms) && InMillisRange(ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>
    /// Epoch nanoseconds whose unit the contract declares uncertain: seconds, milliseconds and microseconds are
    /// told apart by magnitude and converted (each conversion is reported as drift).
    /// </summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field.</param>
    /// <returns>The value.</returns>
    public static EpochNanoseconds EpochNanosAnyUnit(ref Utf8JsonReader r, string field) =>
        TryEpoch(ref r, field, 3, out var ns) ? new EpochNanoseconds(ns) : default;

    /// <summary>Epoch nanoseconds of uncertain unit, or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field.</param>
    /// <returns>The value.</returns>
    public static EpochNanoseconds? EpochNanosAnyUnitOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null : TryEpoch(ref r, field, 3, out var ns) ? new EpochNanoseconds(ns) : null;

    /// <summary>The value did not fit: returns <paramref name="value"/> in a tolerant scope (the reader past the value), fails otherwise.</summary>
    private static T Fallback<T>(ref Utf8JsonReader r, string expected, string field, T value) =>
        JsonReadScope.TryTolerate(ref r, expected, field) ? value : throw Wrong(ref r, expected, field);

    /// <summary>The value did not fit: returns false in a tolerant scope (the reader past the value), fails otherwise.</summary>
    private static bool Defaulted(ref Utf8JsonReader r, string expected, string field) => Fallback(ref r, expected, field, false);

    /// <summary>An integer that is not a JSON number of the range: a quoted integer is converted in a tolerant scope; null when defaulted.</summary>
    private static long? SlowInteger(ref Utf8JsonReader r, string expected, string field, long min, long max)
    {
        if (r.TokenType == JsonTokenType.String && TryInteger(ref r, out var quoted) && quoted >= min && quoted <= max
            && JsonReadScope.TryConvert(ref r, expected, "a number in a string", field))
        {
            return quoted;
        }

        return Fallback<long?>(ref r, expected, field, null);
    }

    private static double? SlowNumber(ref Utf8JsonReader r, string field)
    {
        if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped && !r.HasValueSequence
            && Utf8Parser.TryParse(r.ValueSpan, out double quoted, out var consumed) && consumed == r.ValueSpan.Length && double.IsFinite(quoted)
            && JsonReadScope.TryConvert(ref r, "a number", "a number in a string", field))
        {
            return quoted;
        }

        return Fallback<double?>(ref r, "a number", field, null);
    }

    private static bool? SlowBoolean(ref Utf8JsonReader r, string field)
    {
        if (r.TokenType == JsonTokenType.String && (r.ValueTextEquals("true"u8) || r.ValueTextEquals("false"u8))
            && JsonReadScope.TryConvert(ref r, "a boolean", "a boolean in a string", field))
        {
            return r.ValueTextEquals("true"u8);
        }

        return Fallback<bool?>(ref r, "a boolean", field, null);
    }

    private static bool TryDate(ref Utf8JsonReader r, string field, out DateOnly value)
    {
        if (r.TokenType == JsonTokenType.String
            && DateOnly.TryParseExact(r.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        value = default;
        return Defaulted(ref r, "a date (yyyy-MM-dd)", field);
    }

    private static bool TryIsoLocal(ref Utf8JsonReader r, string field, out DateTime value)
    {
        if (r.TokenType == JsonTokenType.String && TryIsoFast(ref r, allowZ: false, DateTimeKind.Unspecified, out value))
        {
            return true;
        }

        if (r.TokenType == JsonTokenType.String
            && DateTime.TryParseExact(r.GetString(), LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            value = DateTime.SpecifyKind(d, DateTimeKind.Unspecified);
            return true;
        }

        value = default;
        return Defaulted(ref r, "an ISO 8601 local time", field);
    }

    private static bool TryIsoUtc(ref Utf8JsonReader r, string field, out DateTimeOffset value)
    {
        if (r.TokenType == JsonTokenType.String && TryIsoFast(ref r, allowZ: true, DateTimeKind.Utc, out var fast))
        {
            value = new DateTimeOffset(fast);
            return true;
        }

        if (r.TokenType == JsonTokenType.String
            && DateTime.TryParseExact(r.GetString(), UtcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc));
            return true;
        }

        value = default;
        return Defaulted(ref r, "an ISO 8601 UTC time", field);
    }

    private static bool TryIso(ref Utf8JsonReader r, string field, out DateTimeOffset value)
    {
        if (r.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(r.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            return true;
        }

        value = default;
        return Defaulted(ref r, "an ISO 8601 time", field);
    }

    /// <summary>
    /// An epoch integer in the unit <paramref name="declared"/> (0 s, 1 ms, 2 µs, 3 ns), whatever unit it came in:
    /// the unit is told apart by magnitude (0 fits every unit) and the value converted, the conversion reported.
    /// </summary>
    private static bool TryEpoch(ref Utf8JsonReader r, string field, int declared, out long value)
    {
        var expected = UnitNames[declared];
        if (!TryInteger(ref r, out var raw))
        {
            value = 0;
            return Defaulted(ref r, expected, field);
        }

        var magnitude = raw == long.MinValue ? long.MaxValue : Math.Abs(raw);
        var unit = magnitude < SecondsBelow ? 0 : magnitude < MillisBelow ? 1 : magnitude < MicrosBelow ? 2 : 3;
        if (raw == 0 || unit == declared)
        {
            value = raw;
            return true;
        }

        var factor = 1L;
        for (var i = Math.Min(unit, declared); i < Math.Max(unit, declared); i++)
        {
            factor *= 1000;
        }

        try
        {
            value = unit < declared ? checked(raw * factor) : raw / factor;
        }
        catch (OverflowException)
        {
            value = 0;
            return Defaulted(ref r, expected, field);
        }

        JsonReadScope.RecordDeclaredConversion(ref r, expected, UnitNames[unit], field);
        return true;
    }
}
