using System.Globalization;

namespace EventsBindings.Runtime.Json;

/// <summary>A point in time as integer nanoseconds since 1970-01-01 UTC, kept exactly (a double would lose precision).</summary>
public readonly struct EpochNanoseconds : IEquatable<EpochNanoseconds>, IComparable<EpochNanoseconds>, IComparable
{
    private const long NanosPerTick = 100;

    /// <summary>Creates a value.</summary>
    /// <param name="value">Nanoseconds since 1970-01-01 UTC.</param>
    public EpochNanoseconds(long value) => Value = value;

    /// <summary>Nanoseconds since 1970-01-01 UTC.</summary>
    public long Value { get; }

    /// <summary>Milliseconds since 1970-01-01 UTC (rounded down).</summary>
    public long ToUnixTimeMilliseconds() => Value >= 0 ? Value / 1_000_000 : -((-Value + 999_999) / 1_000_000);

    /// <summary>The value as a <see cref="DateTimeOffset"/> (UTC, 100 ns resolution).</summary>
    /// <returns>The instant.</returns>
    public DateTimeOffset ToDateTimeOffset() => new(DateTime.UnixEpoch.Ticks + (Value / NanosPerTick), TimeSpan.Zero);

    /// <summary>Converts an instant.</summary>
    /// <param name="value">The instant.</param>
    /// <returns>Its nanoseconds since 1970.</returns>
    public static EpochNanoseconds FromDateTimeOffset(DateTimeOffset value) => new((value.UtcTicks - DateTime.UnixEpoch.Ticks) * NanosPerTick);

    /// <inheritdoc />
    public bool Equals(EpochNanoseconds other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EpochNanoseconds other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(EpochNanoseconds other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        EpochNanoseconds other => CompareTo(other),
        _ => throw new ArgumentException("Not an EpochNanoseconds.", nameof(obj)),
    };

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Equality.</summary>
    public static bool operator ==(EpochNanoseconds left, EpochNanoseconds right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(EpochNanoseconds left, EpochNanoseconds right) => !left.Equals(right);

    /// <summary>Earlier than.</summary>
    public static bool operator <(EpochNanoseconds left, EpochNanoseconds right) => left.Value < right.Value;

    /// <summary>Later than.</summary>
    public static bool operator >(EpochNanoseconds left, EpochNanoseconds right) => left.Value > right.Value;

    /// <summary>Not later than.</summary>
    public static bool operator <=(EpochNanoseconds left, EpochNanoseconds right) => left.Value <= right.Value;

    /// <summary>Not earlier than.</summary>
    public static bool operator >=(EpochNanoseconds left, EpochNanoseconds right) => left.Value >= right.Value;
}
