using System.Globalization;
using System.Text;

namespace EventsBindings.Filtering;

/// <summary>A comparison operator of a SCIM filter (RFC 7644 §3.4.2.2).</summary>
public enum ScimOperator
{
    /// <summary><c>eq</c>: equal.</summary>
    Eq,

    /// <summary><c>ne</c>: not equal.</summary>
    Ne,

    /// <summary><c>co</c>: the text contains the value.</summary>
    Co,

    /// <summary><c>sw</c>: the text starts with the value.</summary>
    Sw,

    /// <summary><c>ew</c>: the text ends with the value.</summary>
    Ew,

    /// <summary><c>gt</c>: greater than.</summary>
    Gt,

    /// <summary><c>ge</c>: greater than or equal.</summary>
    Ge,

    /// <summary><c>lt</c>: less than.</summary>
    Lt,

    /// <summary><c>le</c>: less than or equal.</summary>
    Le,
}

/// <summary>
/// A value of a SCIM filter, written as SCIM wants it: text in double quotes with JSON escapes, numbers in
/// invariant culture, instants as ISO 8601 UTC with milliseconds (<c>"2024-05-01T10:00:00.000Z"</c>), dates as
/// <c>"yyyy-MM-dd"</c>, and <c>true</c>, <c>false</c>, <c>null</c>.
/// </summary>
public readonly struct ScimValue : IEquatable<ScimValue>
{
    private readonly string? _literal;

    private ScimValue(string literal) => _literal = literal;

    /// <summary>The literal <c>null</c>.</summary>
    public static ScimValue Null => new("null");

    /// <summary>The value as it appears in the filter.</summary>
    public string Literal => _literal ?? "null";

    /// <summary>A text value, quoted and escaped.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The value.</returns>
    public static ScimValue String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new ScimValue(Quote(value));
    }

    /// <summary>An integer value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static ScimValue Number(long value) => new(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A floating-point value (finite).</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static ScimValue Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A SCIM number is finite.");
        }

        return new(value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>A boolean value.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The value.</returns>
    public static ScimValue Boolean(bool value) => new(value ? "true" : "false");

    /// <summary>An instant, as ISO 8601 UTC with milliseconds.</summary>
    /// <param name="value">The instant.</param>
    /// <returns>The value.</returns>
    public static ScimValue Instant(DateTimeOffset value) =>
        new("\"" + value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\"");

    /// <summary>A calendar date, as <c>yyyy-MM-dd</c>.</summary>
    /// <param name="value">The date.</param>
    /// <returns>The value.</returns>
    public static ScimValue Date(DateOnly value) => new("\"" + value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "\"");

    /// <summary>Quotes text as a SCIM (JSON) string.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The quoted text.</returns>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (ch < ' ')
                    {
                        builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <inheritdoc />
    public bool Equals(ScimValue other) => Literal == other.Literal;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ScimValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Literal);

    /// <summary>Equality of literals.</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">Another value.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(ScimValue left, ScimValue right) => left.Equals(right);

    /// <summary>Inequality of literals.</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">Another value.</param>
    /// <returns>True when not equal.</returns>
    public static bool operator !=(ScimValue left, ScimValue right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Literal;
}

/// <summary>
/// A SCIM filter expression (RFC 7644 §3.4.2.2): comparisons and presence tests of dotted attribute paths, combined
/// with <c>and</c>, <c>or</c> and <c>not</c>. <see cref="ToString"/> writes it as a server reads it, with the
/// parentheses precedence needs (<c>not</c> over <c>and</c> over <c>or</c>). Generated clients offer typed builders
/// per item model (for example <c>EventFilter.Severity.Eq(Severity.Warn)</c>) that produce these.
/// </summary>
public abstract class ScimFilter
{
    private protected ScimFilter()
    {
    }

    /// <summary>How tightly the expression binds: 1 for <c>or</c>, 2 for <c>and</c>, 3 for the rest.</summary>
    private protected abstract int Precedence { get; }

    /// <summary>A comparison of an attribute with a value.</summary>
    /// <param name="path">The dotted attribute path.</param>
    /// <param name="op">The operator.</param>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public static ScimFilter Compare(string path, ScimOperator op, ScimValue value) => new ComparisonFilter(CheckPath(path), op, value);

    /// <summary>The attribute has a value (<c>pr</c>).</summary>
    /// <param name="path">The dotted attribute path.</param>
    /// <returns>The expression.</returns>
    public static ScimFilter Present(string path) => new PresentFilter(CheckPath(path));

    /// <summary>Both this and <paramref name="other"/> hold.</summary>
    /// <param name="other">The other expression.</param>
    /// <returns>The expression.</returns>
    public ScimFilter And(ScimFilter other) => new LogicalFilter(this, other ?? throw new ArgumentNullException(nameof(other)), and: true);

    /// <summary>This or <paramref name="other"/> holds.</summary>
    /// <param name="other">The other expression.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Or(ScimFilter other) => new LogicalFilter(this, other ?? throw new ArgumentNullException(nameof(other)), and: false);

    /// <summary>This does not hold.</summary>
    /// <returns>The expression.</returns>
    public ScimFilter Not() => new NotFilter(this);

    /// <summary>Both hold.</summary>
    /// <param name="left">An expression.</param>
    /// <param name="right">Another expression.</param>
    /// <returns>The expression.</returns>
    public static ScimFilter operator &(ScimFilter left, ScimFilter right) => (left ?? throw new ArgumentNullException(nameof(left))).And(right);

    /// <summary>Either holds.</summary>
    /// <param name="left">An expression.</param>
    /// <param name="right">Another expression.</param>
    /// <returns>The expression.</returns>
    public static ScimFilter operator |(ScimFilter left, ScimFilter right) => (left ?? throw new ArgumentNullException(nameof(left))).Or(right);

    /// <summary>Does not hold.</summary>
    /// <param name="filter">The expression.</param>
    /// <returns>The expression.</returns>
    public static ScimFilter operator !(ScimFilter filter) => (filter ?? throw new ArgumentNullException(nameof(filter))).Not();

    /// <summary>The filter text, so that an expression can be given where the filter parameter takes text.</summary>
    /// <param name="filter">The expression, or null.</param>
    /// <returns>Its text, or null.</returns>
    public static implicit operator string?(ScimFilter? filter) => filter?.ToString();

    /// <summary>The expression in SCIM syntax.</summary>
    /// <returns>The filter text.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Write(builder);
        return builder.ToString();
    }

    private protected abstract void Write(StringBuilder builder);

    private protected static void WriteOperand(StringBuilder builder, ScimFilter operand, int precedence)
    {
        if (operand.Precedence < precedence)
        {
            builder.Append('(');
            operand.Write(builder);
            builder.Append(')');
        }
        else
        {
            operand.Write(builder);
        }
    }

    private static string CheckPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        foreach (var ch in path)
        {
            if (char.IsWhiteSpace(ch) || ch is '(' or ')' or '"' or '[' or ']')
            {
                throw new ArgumentException($"'{path}' is not a SCIM attribute path.", nameof(path));
            }
        }

        return path;
    }

    private sealed class ComparisonFilter(string path, ScimOperator op, ScimValue value) : ScimFilter
    {
        private protected override int Precedence => 3;

        private protected override void Write(StringBuilder builder) =>
            builder.Append(path).Append(' ').Append(op.ToString().ToLowerInvariant()).Append(' ').Append(value.Literal);
    }

    private sealed class PresentFilter(string path) : ScimFilter
    {
        private protected override int Precedence => 3;

        private protected override void Write(StringBuilder builder) => builder.Append(path).Append(" pr");
    }

    private sealed class NotFilter(ScimFilter inner) : ScimFilter
    {
        private protected override int Precedence => 3;

        private protected override void Write(StringBuilder builder)
        {
            builder.Append("not (");
            inner.Write(builder);
            builder.Append(')');
        }
    }

    private sealed class LogicalFilter(ScimFilter left, ScimFilter right, bool and) : ScimFilter
    {
        private protected override int Precedence => and ? 2 : 1;

        private protected override void Write(StringBuilder builder)
        {
            WriteOperand(builder, left, Precedence);
            builder.Append(and ? " and " : " or ");

            // Right operands of the same operator need no parentheses (and/or are associative), but a
            // looser one does.
            WriteOperand(builder, right, Precedence);
        }
    }
}
