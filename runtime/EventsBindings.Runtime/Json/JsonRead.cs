// One file of about 500 lines on purpose: the readers of every contract type that generated converters call, with their tolerant slow paths beside the fast ones (a reader and its fallback are read together).
using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>
/// Readers of contract types at the reader's current token, used by generated converters. Each throws
/// <see cref="JsonPayloadException"/> naming the contract field on a token of the wrong type; the
/// <c>OrNull</c> variants also accept <c>null</c>.
/// </summary>
public static partial class JsonRead
{
    private const int StringCacheBits = 9;
    private const int StringCacheSize = 1 << StringCacheBits;
    private const int StringCacheMaxLength = 64;

    // Shared by all threads: a slot holds a reference to an immutable string (reads and writes of
    // references are atomic), and a hit is only taken after comparing every byte, so a race at worst
    // costs a miss. A [ThreadStatic] cache paid a thread-local lookup on every string read.
    private static readonly string?[] Strings = new string?[StringCacheSize];

    private static readonly string[] LocalFormats =
    {
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd",
    };

    private static readonly string[] UtcFormats =
    {
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'",
    };

    /// <summary>Fails unless the current token is <paramref name="type"/>.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="type">The expected token.</param>
    /// <param name="what">What was expected (a model name), for the message.</param>
    public static void Expect(ref Utf8JsonReader r, JsonTokenType type, string what)
    {
        if (r.TokenType != type)
        {
            throw new JsonPayloadException($"Expected {Describe(type)} for {what}, found {Describe(r.TokenType)}", what);
        }
    }

    /// <summary>A string.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value (empty when it did not fit, in a tolerant scope).</returns>
    public static string String(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.String ? Cached(ref r) : Fallback(ref r, "a string", field, string.Empty);

    /// <summary>A string, never from (nor into) the cache of short values: for secrets such as tokens.</summary>
    internal static string StringUncached(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.String ? r.GetString()! : throw Wrong(ref r, "a string", field);

    /// <summary>
    /// The UTF-8 text of the current string or property name, unescaped: the token's own bytes when it has
    /// no escapes and lies in one segment (no copy), otherwise an unescaped copy. Generated converters
    /// match property names and enum values against it with span comparisons.
    /// </summary>
    /// <param name="r">The reader, on a string or a property name.</param>
    /// <returns>The text.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Utf8Text(ref Utf8JsonReader r) =>
        r.HasValueSequence || r.ValueIsEscaped ? Utf8TextCopy(ref r) : r.ValueSpan;

    private static byte[] Utf8TextCopy(ref Utf8JsonReader r)
    {
        var buffer = new byte[r.HasValueSequence ? checked((int)r.ValueSequence.Length) : r.ValueSpan.Length];
        var length = r.CopyString(buffer);
        return length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>A string or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static string? StringOrNull(ref Utf8JsonReader r, string field) => r.TokenType switch
    {
        JsonTokenType.String => Cached(ref r),
        JsonTokenType.Null => null,
        _ => Fallback<string?>(ref r, "a string", field, null),
    };

    /// <summary>A 32-bit integer.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static int Int32(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var v) ? v : (int)(SlowInteger(ref r, "a 32-bit integer", field, int.MinValue, int.MaxValue) ?? 0);

    /// <summary>A 32-bit integer or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static int? Int32OrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null
        : r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var v) ? v : (int?)SlowInteger(ref r, "a 32-bit integer", field, int.MinValue, int.MaxValue);

    /// <summary>A 64-bit integer.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static long Int64(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var v) ? v : SlowInteger(ref r, "a 64-bit integer", field, long.MinValue, long.MaxValue) ?? 0;

    /// <summary>A 64-bit integer or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static long? Int64OrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null
        : r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var v) ? v : SlowInteger(ref r, "a 64-bit integer", field, long.MinValue, long.MaxValue);

    /// <summary>A number.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static double Number(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var v) ? v : SlowNumber(ref r, field) ?? 0;

    /// <summary>A number or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static double? NumberOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null : r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var v) ? v : SlowNumber(ref r, field);

    /// <summary>A boolean.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static bool Boolean(ref Utf8JsonReader r, string field) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => SlowBoolean(ref r, field) ?? false,
    };

    /// <summary>A boolean or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static bool? BooleanOrNull(ref Utf8JsonReader r, string field) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => SlowBoolean(ref r, field),
    };

    /// <summary>A calendar date <c>yyyy-MM-dd</c>.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateOnly Date(ref Utf8JsonReader r, string field) => TryDate(ref r, field, out var d) ? d : default;

    /// <summary>A calendar date or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateOnly? DateOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null : TryDate(ref r, field, out var d) ? d : null;

    /// <summary>An ISO 8601 local wall-clock time without offset (<see cref="DateTimeKind.Unspecified"/>).</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateTime IsoLocal(ref Utf8JsonReader r, string field) => TryIsoLocal(ref r, field, out var d) ? d : default;

    /// <summary>An ISO 8601 local time or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateTime? IsoLocalOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null : TryIsoLocal(ref r, field, out var d) ? d : null;

    /// <summary>An ISO 8601 time without offset that is known to be UTC.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value, with offset zero.</returns>
    public static DateTimeOffset IsoUtc(ref Utf8JsonReader r, string field) => TryIsoUtc(ref r, field, out var d) ? d : default;

    /// <summary>An ISO 8601 UTC time or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset? IsoUtcOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null : TryIsoUtc(ref r, field, out var d) ? d : null;

    /// <summary>An ISO 8601 time with offset (a missing offset is taken as UTC).</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset Iso(ref Utf8JsonReader r, string field) => TryIso(ref r, field, out var d) ? d : default;

    /// <summary>An ISO 8601 time or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset? IsoOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null : TryIso(ref r, field, out var d) ? d : null;

    /// <summary>Integer milliseconds since 1970 UTC (a number, or a string of digits).</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset EpochMillis(ref Utf8JsonReader r, string field) =>
        TryInteger(ref r, out var ms) && InMillisRange(ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
        : Fallback<DateTimeOffset>(ref r, "integer epoch milliseconds", field, default);

    /// <summary>Epoch milliseconds or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset? EpochMillisOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null
        : TryInteger(ref r, out var ms) && InMillisRange(ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
        : Fallback<DateTimeOffset?>(ref r, "integer epoch milliseconds", field, null);

    /// <summary>Integer nanoseconds since 1970 UTC, exact (a number, or a string of digits).</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static EpochNanoseconds EpochNanos(ref Utf8JsonReader r, string field) =>
        TryInteger(ref r, out var ns) ? new EpochNanoseconds(ns) : Fallback<EpochNanoseconds>(ref r, "integer epoch nanoseconds", field, default);

    /// <summary>Epoch nanoseconds or null.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static EpochNanoseconds? EpochNanosOrNull(ref Utf8JsonReader r, string field) =>
        r.TokenType == JsonTokenType.Null ? null
        : TryInteger(ref r, out var ns) ? new EpochNanoseconds(ns) : Fallback<EpochNanoseconds?>(ref r, "integer epoch nanoseconds", field, null);

    /// <summary>Any JSON value, kept raw.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <returns>The value.</returns>
    public static JsonElement Json(ref Utf8JsonReader r, string field)
    {
        try
        {
            return JsonElement.ParseValue(ref r);
        }
        catch (JsonException ex)
        {
            throw new JsonPayloadException("The value is not valid JSON", field, ex);
        }
    }

    /// <summary>An array whose elements are read by <paramref name="item"/>; element errors carry their index.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="r">The reader, on <c>[</c>; left on <c>]</c>.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <param name="item">Reads one element.</param>
    /// <returns>The elements (none when the value was not an array, in a tolerant scope).</returns>
    public static IReadOnlyList<T> Array<T>(ref Utf8JsonReader r, string field, JsonReadFunc<T> item) => ReadArray(ref r, field, item, objects: false);

    /// <summary>
    /// An array of objects read by <paramref name="item"/>: in a tolerant scope, an element that is not an
    /// object is left out (and reported) instead of failing the array.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="r">The reader, on <c>[</c>; left on <c>]</c>.</param>
    /// <param name="field">The contract field, for errors.</param>
    /// <param name="item">Reads one element, on its <c>{</c>.</param>
    /// <returns>The elements.</returns>
    public static IReadOnlyList<T> ObjectArray<T>(ref Utf8JsonReader r, string field, JsonReadFunc<T> item) => ReadArray(ref r, field, item, objects: true);

    private static IReadOnlyList<T> ReadArray<T>(ref Utf8JsonReader r, string field, JsonReadFunc<T> item, bool objects)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (r.TokenType != JsonTokenType.StartArray)
        {
            return Fallback<IReadOnlyList<T>>(ref r, "an array", field, System.Array.Empty<T>());
        }

        // Exact-size arrays: small arrays (tags, roles) are the common case, and a growing List<T> would
        // leave its larger backing array behind.
        var items = default(ItemBuffer<T>);
        var index = 0;
        while (true)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return items.ToArray();
            }

            try
            {
                if (objects && r.TokenType != JsonTokenType.StartObject)
                {
                    Defaulted(ref r, "an object", field);
                }
                else
                {
                    items.Add(item(ref r));
                }
            }
            catch (JsonPayloadException ex)
            {
                throw ex.WithIndex(index);
            }

            index++;
        }
    }

    /// <summary>
    /// The value of a string token. Event payloads repeat short values (computer and user names, event
    /// texts, versions) thousands of times per page; short ASCII values are looked up in a small shared
    /// cache keyed by a hash of their UTF-8 bytes and compared byte for byte, so a repeated value is one
    /// string instead of one per occurrence. Strings are immutable: callers see equal values either way.
    /// </summary>
    private static string Cached(ref Utf8JsonReader r)
    {
        if (r.HasValueSequence || r.ValueIsEscaped)
        {
            return r.GetString()!;
        }

        var span = r.ValueSpan;
        if (span.Length == 0)
        {
            return string.Empty;
        }

        if (span.Length > StringCacheMaxLength)
        {
            return r.GetString()!;
        }

        var cache = Strings;
        var slot = StringHash(span);
        var hit = cache[slot];
        if (hit is not null && hit.Length == span.Length && Ascii.Equals(span, hit))
        {
            return hit;
        }

        var value = r.GetString()!;
        if (value.Length == span.Length)
        {
            // As many chars as bytes: ASCII only, which is what the comparison above can match.
            cache[slot] = value;
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int StringHash(ReadOnlySpan<byte> s)
    {
        ulong h;
        if (s.Length >= 8)
        {
            h = MemoryMarshal.Read<ulong>(s) ^ BitOperations.RotateLeft(MemoryMarshal.Read<ulong>(s[^8..]), 21);
            if (s.Length > 16)
            {
                h ^= BitOperations.RotateLeft(MemoryMarshal.Read<ulong>(s[((s.Length / 2) - 4)..]), 42);
            }
        }
        else
        {
            h = 0;
            foreach (var b in s)
            {
                h = (h << 8) | b;
            }
        }

        h = (h + (ulong)s.Length) * 0x9E3779B97F4A7C15UL;
        return (int)(h >> (64 - StringCacheBits));
    }

    /// <summary>
    /// The common shape <c>yyyy-MM-dd[T| ]HH:mm:ss[.f{1,7}][Z]</c> read straight from the UTF-8 bytes,
    /// without allocating a string; anything else (and any invalid date) is left to the format-based
    /// parser, so the accepted inputs and results are exactly those of the formats above.
    /// </summary>
    private static bool TryIsoFast(ref Utf8JsonReader r, bool allowZ, DateTimeKind kind, out DateTime value)
    {
        value = default;
        if (r.HasValueSequence || r.ValueIsEscaped)
        {
            return false;
        }

        var s = r.ValueSpan;
        if (allowZ && s.Length > 0 && s[^1] == (byte)'Z')
        {
            s = s[..^1];
        }

        if (s.Length < 19 || s.Length == 20 || s.Length > 27
            || s[4] != (byte)'-' || s[7] != (byte)'-' || (s[10] != (byte)'T' && s[10] != (byte)' ') || s[13] != (byte)':' || s[16] != (byte)':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        var fraction = 0;
        if (s.Length > 19)
        {
            var count = s.Length - 20;
            if (s[19] != (byte)'.' || !Digits(s, 20, count, out fraction))
            {
                return false;
            }

            for (var i = count; i < 7; i++)
            {
                fraction *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTime(new DateTime(year, month, day, hour, minute, second, kind).Ticks + fraction, kind);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }

    private static bool TryInteger(ref Utf8JsonReader r, out long value)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            return r.TryGetInt64(out value);
        }

        if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped)
        {
            var span = r.HasValueSequence ? r.ValueSequence.ToArray() : r.ValueSpan;
            return Utf8Parser.TryParse(span, out value, out var consumed) && consumed == span.Length;
        }

        value = 0;
        return false;
    }

    private static bool InMillisRange(long ms) => ms >= -62135596800000L && ms <= 253402300799999L;

    private static JsonPayloadException Wrong(ref Utf8JsonReader r, string expected, string field) =>
        new($"Expected {expected}, found {Describe(r.TokenType)}", field);

    internal static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.EndObject => "the end of an object",
        JsonTokenType.EndArray => "the end of an array",
        JsonTokenType.PropertyName => "a property name",
        _ => "nothing",
    };
}
