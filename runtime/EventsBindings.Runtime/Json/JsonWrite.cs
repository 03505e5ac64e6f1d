using System.Globalization;
using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>Writers of contract types, the inverse of <see cref="JsonRead"/>.</summary>
public static class JsonWrite
{
    private const string WallClock = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF";

    /// <summary>A calendar date <c>yyyy-MM-dd</c>.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void Date(Utf8JsonWriter w, DateOnly value) =>
        Checked(w).WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>An ISO 8601 local time without offset, with the shortest fraction that round-trips (<c>2022-01-23T15:49:20.597</c>).</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void IsoLocal(Utf8JsonWriter w, DateTime value) =>
        Checked(w).WriteStringValue(value.ToString(WallClock, CultureInfo.InvariantCulture));

    /// <summary>An ISO 8601 UTC time without offset, with the shortest fraction that round-trips.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value (converted to UTC).</param>
    public static void IsoUtc(Utf8JsonWriter w, DateTimeOffset value) =>
        Checked(w).WriteStringValue(value.UtcDateTime.ToString(WallClock, CultureInfo.InvariantCulture));

    /// <summary>An ISO 8601 time with offset (<c>Z</c> for UTC), with the shortest fraction that round-trips.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void Iso(Utf8JsonWriter w, DateTimeOffset value) =>
        Checked(w).WriteStringValue(value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.ToString(WallClock + "'Z'", CultureInfo.InvariantCulture)
            : value.ToString(WallClock + "zzz", CultureInfo.InvariantCulture));

    /// <summary>Integer milliseconds since 1970 UTC.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void EpochMillis(Utf8JsonWriter w, DateTimeOffset value) =>
        Checked(w).WriteNumberValue(value.ToUnixTimeMilliseconds());

    /// <summary>Integer nanoseconds since 1970 UTC.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void EpochNanos(Utf8JsonWriter w, EpochNanoseconds value) =>
        Checked(w).WriteNumberValue(value.Value);

    /// <summary>A string.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void String(Utf8JsonWriter w, string value) => Checked(w).WriteStringValue(value);

    /// <summary>A 32-bit integer.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void Int32(Utf8JsonWriter w, int value) => Checked(w).WriteNumberValue(value);

    /// <summary>A 64-bit integer.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void Int64(Utf8JsonWriter w, long value) => Checked(w).WriteNumberValue(value);

    /// <summary>A number.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void Number(Utf8JsonWriter w, double value) => Checked(w).WriteNumberValue(value);

    /// <summary>A boolean.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void Boolean(Utf8JsonWriter w, bool value) => Checked(w).WriteBooleanValue(value);

    /// <summary>Any JSON value.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="value">The value.</param>
    public static void Json(Utf8JsonWriter w, JsonElement value) => value.WriteTo(Checked(w));

    /// <summary>An array whose elements are written by <paramref name="item"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="w">The writer.</param>
    /// <param name="values">The elements.</param>
    /// <param name="item">Writes one element.</param>
    public static void Array<T>(Utf8JsonWriter w, IEnumerable<T> values, JsonWriteFunc<T> item)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(item);
        Checked(w).WriteStartArray();
        foreach (var v in values)
        {
            item(w, v);
        }

        w.WriteEndArray();
    }

    private static Utf8JsonWriter Checked(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return w;
    }
}
