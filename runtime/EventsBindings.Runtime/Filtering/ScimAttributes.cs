namespace EventsBindings.Filtering;

/// <summary>A text attribute of a SCIM filter: equality, substring tests and presence.</summary>
/// <param name="path">The dotted attribute path.</param>
public sealed class ScimStringAttribute(string path)
{
    /// <summary>The dotted attribute path.</summary>
    public string Path { get; } = path;

    /// <summary><c>eq</c>: the attribute equals <paramref name="value"/>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Eq(string value) => ScimFilter.Compare(Path, ScimOperator.Eq, ScimValue.String(value));

    /// <summary><c>ne</c>: the attribute does not equal <paramref name="value"/>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Ne(string value) => ScimFilter.Compare(Path, ScimOperator.Ne, ScimValue.String(value));

    /// <summary><c>co</c>: the attribute contains <paramref name="value"/>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Co(string value) => ScimFilter.Compare(Path, ScimOperator.Co, ScimValue.String(value));

    /// <summary><c>sw</c>: the attribute starts with <paramref name="value"/>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Sw(string value) => ScimFilter.Compare(Path, ScimOperator.Sw, ScimValue.String(value));

    /// <summary><c>ew</c>: the attribute ends with <paramref name="value"/>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Ew(string value) => ScimFilter.Compare(Path, ScimOperator.Ew, ScimValue.String(value));

    /// <summary><c>pr</c>: the attribute has a value.</summary>
    /// <returns>The expression.</returns>
    public ScimFilter Pr() => ScimFilter.Present(Path);
}

/// <summary>An ordered attribute of a SCIM filter (an instant, a date or a number): comparisons and presence.</summary>
/// <typeparam name="T">The attribute's value type.</typeparam>
/// <param name="path">The dotted attribute path.</param>
/// <param name="format">Writes a value as a SCIM literal.</param>
public sealed class ScimOrderedAttribute<T>(string path, Func<T, ScimValue> format)
{
    /// <summary>The dotted attribute path.</summary>
    public string Path { get; } = path;

    /// <summary><c>eq</c>: equal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Eq(T value) => ScimFilter.Compare(Path, ScimOperator.Eq, format(value));

    /// <summary><c>ne</c>: not equal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Ne(T value) => ScimFilter.Compare(Path, ScimOperator.Ne, format(value));

    /// <summary><c>gt</c>: after / greater than.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Gt(T value) => ScimFilter.Compare(Path, ScimOperator.Gt, format(value));

    /// <summary><c>ge</c>: at or after / greater than or equal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Ge(T value) => ScimFilter.Compare(Path, ScimOperator.Ge, format(value));

    /// <summary><c>lt</c>: before / less than.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Lt(T value) => ScimFilter.Compare(Path, ScimOperator.Lt, format(value));

    /// <summary><c>le</c>: at or before / less than or equal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Le(T value) => ScimFilter.Compare(Path, ScimOperator.Le, format(value));

    /// <summary><c>pr</c>: the attribute has a value.</summary>
    /// <returns>The expression.</returns>
    public ScimFilter Pr() => ScimFilter.Present(Path);
}

/// <summary>An attribute of a SCIM filter compared only for equality (an enum by its wire value, a boolean): <c>eq</c>, <c>ne</c>, <c>pr</c>.</summary>
/// <typeparam name="T">The attribute's value type.</typeparam>
/// <param name="path">The dotted attribute path.</param>
/// <param name="format">Writes a value as a SCIM literal (an enum: its wire value).</param>
public sealed class ScimEqualityAttribute<T>(string path, Func<T, ScimValue> format)
{
    /// <summary>The dotted attribute path.</summary>
    public string Path { get; } = path;

    /// <summary><c>eq</c>: equal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Eq(T value) => ScimFilter.Compare(Path, ScimOperator.Eq, format(value));

    /// <summary><c>ne</c>: not equal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The expression.</returns>
    public ScimFilter Ne(T value) => ScimFilter.Compare(Path, ScimOperator.Ne, format(value));

    /// <summary><c>pr</c>: the attribute has a value.</summary>
    /// <returns>The expression.</returns>
    public ScimFilter Pr() => ScimFilter.Present(Path);
}
