using System.Globalization;
using EventsBindings.Generator.Model;

namespace EventsBindings.Generator.Emitter;

/// <summary>
/// The C# expressions paging and sync need, written from the emit model's typed facts (field paths, value kinds,
/// the contract's literal text): the model holds no C#, so a change of how a value is read is made here once.
/// </summary>
internal static class CSharpExpressions
{
    private const string Runtime = "global::EventsBindings.Runtime";

    /// <summary>What an item's field is read as.</summary>
    public enum Use
    {
        /// <summary>A 64-bit cursor: integers as they are, timestamps as epoch milliseconds (epochNanos as nanoseconds).</summary>
        Int64,

        /// <summary>A time cursor: always epoch milliseconds.</summary>
        EpochMillis,

        /// <summary>An identity: the value's text.</summary>
        Text,
    }

    /// <summary>An expression over <c>item</c> that reads <paramref name="field"/> as <paramref name="use"/> says.</summary>
    public static string Read(FieldAccessEmit field, Use use)
    {
        var expression = "item";
        var nullable = false;
        foreach (var step in field.Steps)
        {
            expression += (nullable ? "?." : ".") + step.Property;
            nullable |= step.MayBeNull;
        }

        switch (use)
        {
            // A cursor (Int64) over a timestamp is its epoch milliseconds, or its nanoseconds for epochNanos;
            // a time cursor (EpochMillis) is always milliseconds.
            case Use.EpochMillis or Use.Int64 when field.Kind is ValueKind.EpochMillis or ValueKind.IsoUtc or ValueKind.Iso:
            case Use.EpochMillis when field.Kind is ValueKind.EpochNanos:
                return nullable ? $"({expression}?.ToUnixTimeMilliseconds() ?? 0L)" : $"{expression}.ToUnixTimeMilliseconds()";
            case Use.EpochMillis or Use.Int64 when field.Kind is ValueKind.IsoLocal:
                return nullable ? $"(({expression}) is {{ }} t ? new global::System.DateTimeOffset(t.Ticks, global::System.TimeSpan.Zero).ToUnixTimeMilliseconds() : 0L)" : $"new global::System.DateTimeOffset({expression}.Ticks, global::System.TimeSpan.Zero).ToUnixTimeMilliseconds()";
            case Use.Int64 when field.Kind is ValueKind.EpochNanos:
                return nullable ? $"({expression}?.Value ?? 0L)" : $"{expression}.Value";
            case Use.EpochMillis:
            case Use.Int64:
                return nullable ? $"(long)({expression} ?? 0)" : $"(long){expression}";
            default:
                return field.Kind == ValueKind.String
                    ? $"({expression} ?? string.Empty)"
                    : nullable ? $"({expression}?.ToString() ?? string.Empty)" : $"{expression}.ToString()";
        }
    }

    /// <summary>The value of a cursor property held in <paramref name="expression"/>, as the runtime's 64-bit cursor (epoch ms for timestamps, ns for epochNanos).</summary>
    public static string ToCursor(PropertyEmit property, string expression) => property.Kind switch
    {
        ValueKind.EpochMillis or ValueKind.IsoUtc or ValueKind.Iso => $"{expression}?.ToUnixTimeMilliseconds()",
        ValueKind.IsoLocal => $"({expression} is {{ }} start ? new global::System.DateTimeOffset(start.Ticks, global::System.TimeSpan.Zero).ToUnixTimeMilliseconds() : (long?)null)",
        ValueKind.EpochNanos => $"{expression}?.Value",
        ValueKind.Number => $"(long?){expression}",
        _ => expression,
    };

    /// <summary>
    /// The runtime's 64-bit cursor in the variable <paramref name="variable"/> as a value of the property's type;
    /// with <paramref name="millis"/> the cursor is epoch milliseconds (a time cursor), else in the property's own unit.
    /// </summary>
    public static string FromCursor(PropertyEmit property, string variable, bool millis) => property.Kind switch
    {
        ValueKind.Int32 => $"(int?){variable}",
        ValueKind.EpochMillis or ValueKind.IsoUtc or ValueKind.Iso => $"{variable} is {{ }} ms ? global::System.DateTimeOffset.FromUnixTimeMilliseconds(ms) : null",
        ValueKind.IsoLocal => $"{variable} is {{ }} ms ? global::System.DateTimeOffset.FromUnixTimeMilliseconds(ms).DateTime : null",
        ValueKind.EpochNanos => millis
            ? $"{variable} is {{ }} ms ? new {Runtime}.Json.EpochNanoseconds(checked(ms * 1_000_000L)) : null"
            : $"{variable} is {{ }} ns ? new {Runtime}.Json.EpochNanoseconds(ns) : null",
        _ => variable,
    };

    /// <summary>The page size a query asks for (its property, else the contract's default), as an <c>int</c>.</summary>
    public static string PageSizeOf(PageSizeEmit pageSize, string query) => pageSize.Property.Kind == ValueKind.Int32
        ? $"{query}.{pageSize.Property.Name} ?? {pageSize.Default.ToString(CultureInfo.InvariantCulture)}"
        : $"checked((int)({query}.{pageSize.Property.Name} ?? {pageSize.Default.ToString(CultureInfo.InvariantCulture)}))";

    /// <summary>The contract's maximum page size as a literal, or <c>null</c>.</summary>
    public static string Maximum(PageSizeEmit pageSize) =>
        pageSize.Maximum is { } max ? max.ToString(CultureInfo.InvariantCulture) + "L" : "null";

    /// <summary>An offset (<c>long</c>) in <paramref name="variable"/> as a value of the property's type.</summary>
    public static string FromOffset(PropertyEmit property, string variable) => property.Kind == ValueKind.Int32 ? $"checked((int){variable})" : variable;

    /// <summary>
    /// A C# expression of the parameter's CLR type for a value written in the contract (a sync's <c>set</c> or
    /// <c>defaults</c>); the spec has already checked that the text fits the type.
    /// </summary>
    public static string Literal(FixedValueEmit value)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (value.Kind)
        {
            case ValueKind.Int32 or ValueKind.Int64 or ValueKind.Number:
                return value.Value;
            case ValueKind.Boolean:
                return value.Value.ToLowerInvariant();
            case ValueKind.Enum:
                return $"{value.TypeName}.Parse({SourceLiterals.Quote(value.Value)})";
            case ValueKind.Date:
                var date = DateTime.ParseExact(value.Value, "yyyy-MM-dd", invariant, DateTimeStyles.None);
                return $"new global::System.DateOnly({date.Year}, {date.Month}, {date.Day})";
            case ValueKind.IsoLocal:
                var local = DateTime.Parse(value.Value, invariant, DateTimeStyles.RoundtripKind);
                return $"new global::System.DateTime({local.Ticks.ToString(invariant)}L, global::System.DateTimeKind.Unspecified)";
            case ValueKind.IsoUtc:
                var utc = DateTime.Parse(value.Value, invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                return $"new global::System.DateTimeOffset({utc.Ticks.ToString(invariant)}L, global::System.TimeSpan.Zero)";
            case ValueKind.Iso:
                var offset = DateTimeOffset.Parse(value.Value, invariant, DateTimeStyles.None);
                return $"new global::System.DateTimeOffset({offset.Ticks.ToString(invariant)}L, global::System.TimeSpan.FromMinutes({((long)offset.Offset.TotalMinutes).ToString(invariant)}))";
            case ValueKind.EpochMillis:
                return $"global::System.DateTimeOffset.FromUnixTimeMilliseconds({value.Value}L)";
            case ValueKind.EpochNanos:
                return $"new {Runtime}.Json.EpochNanoseconds({value.Value}L)";
            default:
                return SourceLiterals.Quote(value.Value);
        }
    }
}
