using System.Globalization;

namespace EventsBindings.MockServer.Data;

/// <summary>What a <see cref="Cell"/> holds.</summary>
internal enum CellKind : byte
{
    /// <summary>The property is absent.</summary>
    Missing = 0,

    /// <summary>JSON null.</summary>
    Null = 1,

    /// <summary>A boolean (0 / 1 in <see cref="Cell.Number"/>).</summary>
    Bool = 2,

    /// <summary>An integer, an integer-backed enum, or a timestamp or date in epoch nanoseconds.</summary>
    Number = 3,

    /// <summary>A floating-point number (bits in <see cref="Cell.Number"/>).</summary>
    Real = 4,

    /// <summary>Text (a string or a string-backed enum).</summary>
    Text = 5,
}

/// <summary>
/// One extracted, comparable value of an item's field. Timestamps and dates are normalised to
/// epoch nanoseconds so that every encoding compares on one scale.
/// </summary>
internal readonly record struct Cell(CellKind Kind, long Number, string? Text)
{
    public static readonly Cell Missing = new(CellKind.Missing, 0, null);
    public static readonly Cell Null = new(CellKind.Null, 0, null);

    public static Cell Of(long value) => new(CellKind.Number, value, null);

    public static Cell Of(string value) => new(CellKind.Text, 0, value);

    public static Cell Of(bool value) => new(CellKind.Bool, value ? 1 : 0, null);

    public static Cell OfReal(double value) => new(CellKind.Real, BitConverter.DoubleToInt64Bits(value), null);

    public bool HasValue => Kind > CellKind.Null;

    public double Real => Kind == CellKind.Real ? BitConverter.Int64BitsToDouble(Number) : Number;

    /// <summary>Total order: missing, null, then values (numbers before text).</summary>
    public static int Compare(in Cell a, in Cell b)
    {
        if (a.Kind != b.Kind)
        {
            var an = a.Kind is CellKind.Number or CellKind.Real or CellKind.Bool;
            var bn = b.Kind is CellKind.Number or CellKind.Real or CellKind.Bool;
            if (an && bn)
            {
                return a.Real.CompareTo(b.Real);
            }

            return a.Kind.CompareTo(b.Kind);
        }

        return a.Kind switch
        {
            CellKind.Number or CellKind.Bool => a.Number.CompareTo(b.Number),
            CellKind.Real => a.Real.CompareTo(b.Real),
            CellKind.Text => string.CompareOrdinal(a.Text, b.Text),
            _ => 0,
        };
    }

    /// <summary>Equality for filters; text optionally without regard to case.</summary>
    public static bool Matches(in Cell item, in Cell value, bool ignoreCase)
    {
        if (item.Kind == CellKind.Text && value.Kind == CellKind.Text)
        {
            return string.Equals(item.Text, value.Text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }

        return item.HasValue && value.HasValue && Compare(item, value) == 0;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        CellKind.Missing => "<missing>",
        CellKind.Null => "null",
        CellKind.Bool => Number != 0 ? "true" : "false",
        CellKind.Real => Real.ToString(CultureInfo.InvariantCulture),
        CellKind.Text => Text!,
        _ => Number.ToString(CultureInfo.InvariantCulture),
    };
}
