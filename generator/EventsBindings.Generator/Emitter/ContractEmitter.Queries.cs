using EventsBindings.Generator.Model;

namespace EventsBindings.Generator.Emitter;

internal static partial class ContractEmitter
{
    private static void EmitQueries(SourceWriter w, ContractEmit contract)
    {
        w.Indent();
        var first = true;
        // An endpoint without query parameters (a by-id lookup) has no query type: its methods take none.
        foreach (var endpoint in contract.Endpoints.Where(e => e.QueryParameters.Count > 0))
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            EmitQuery(w, endpoint);
        }

        foreach (var filter in contract.Filters)
        {
            w.Line();
            EmitFilter(w, filter);
        }

        w.Outdent();
    }

    private static void EmitQuery(SourceWriter w, EndpointEmit endpoint)
    {
        w.Line($"/// <summary>The filters and options of <c>{SourceLiterals.Xml(endpoint.Method)} {SourceLiterals.Xml(endpoint.Path)}</c>. Unset properties are not sent.</summary>");
        w.Line(GeneratedCode);
        w.Open($"public sealed partial class {endpoint.QueryTypeName}");
        foreach (var p in endpoint.QueryParameters)
        {
            w.Line($"private {p.PropertyType}? {QueryField(p)};");
            if (p.ExpressionProperty is not null)
            {
                w.Line($"private global::EventsBindings.Filtering.ScimFilter? {QueryField(p)}Expression;");
            }
        }

        foreach (var p in endpoint.QueryParameters)
        {
            w.Line();
            w.Summary(p.Description, $"The '{p.WireName}' parameter.");
            var remarks = $"Sent as the {(p.Place == ParameterPlace.Header ? "header" : "query parameter")} <c>{SourceLiterals.Xml(p.WireName)}</c>";
            if (p.Minimum is not null || p.Maximum is not null)
            {
                remarks += $"; allowed {p.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"} to {p.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"}";
            }

            if (p.Default is not null)
            {
                remarks += $"; the server's default is {SourceLiterals.Xml(p.Default)}";
            }

            if (p.RelativeDefault is not null)
            {
                remarks += $"; Default: {SourceLiterals.Xml(p.RelativeDefault)}";
            }

            if (p.ScimFilterClass is { } scimClass)
            {
                remarks += $"; a SCIM filter expression (such as <c>attribute eq \"value\" and other gt 5</c>): build one from <see cref=\"{scimClass}\"/> (a <see cref=\"global::EventsBindings.Filtering.ScimFilter\"/> converts to its text)";
            }

            if (p.KeywordFields is { } keywordFields)
            {
                remarks += $"; keywords separated by spaces, each contained (in any case) in one of: {SourceLiterals.Xml(keywordFields)}";
            }

            w.Line($"/// <remarks>{remarks}.</remarks>");
            if (p.Minimum is not null || p.Maximum is not null || p.IsArray)
            {
                w.Line($"/// <exception cref=\"global::System.ArgumentOutOfRangeException\">The value lies outside the contract's bounds (the exception names <c>{SourceLiterals.Xml(p.WireName)}</c>).</exception>");
            }

            w.Open($"public {p.PropertyType}? {p.PropertyName}");
            w.Line($"get => {QueryField(p)};");
            w.Open("set");
            EmitBoundsCheck(w, p);
            w.Line($"{QueryField(p)} = value;");
            w.Close();
            w.Close();
            if (p.ScimFilterClass is { } filterClass && p.ExpressionProperty is { } expression)
            {
                w.Line();
                w.Line($"/// <summary>The '{SourceLiterals.Xml(p.WireName)}' parameter as a typed SCIM filter, built from <see cref=\"{filterClass}\"/>; setting it sets <see cref=\"{p.PropertyName}\"/> to its text.</summary>");
                w.Line($"/// <remarks>Null when <see cref=\"{p.PropertyName}\"/> was last set as text (or not at all).</remarks>");
                w.Open($"public global::EventsBindings.Filtering.ScimFilter? {expression}");
                w.Line($"get => {QueryField(p)}Expression is {{ }} e && {QueryField(p)} == e.ToString() ? e : null;");
                w.Open("set");
                w.Line($"{QueryField(p)}Expression = value;");
                w.Line($"{p.PropertyName} = value?.ToString();");
                w.Close();
                w.Close();
            }
        }

        w.Line();
        w.Line("/// <summary>A copy of this query.</summary>");
        w.Line($"/// <returns>A new query with the same values.</returns>");
        w.Line($"public {endpoint.QueryTypeName} Clone() => ({endpoint.QueryTypeName})MemberwiseClone();");
        w.Line();
        w.Line("/// <summary>Adds the set parameters to a request, each where the contract places it.</summary>");
        w.Line("/// <param name=\"request\">The request being built.</param>");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"public void ApplyTo({Runtime}.EventsRequest request)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(request);");
        foreach (var p in endpoint.QueryParameters)
        {
            var method = p.Place == ParameterPlace.Header ? "AddHeader" : "AddQuery";
            w.Line($"if ({QueryField(p)} is {{ }} {QueryField(p)}Value)");
            w.Line("{");
            w.Line($"    request.{method}({SourceLiterals.Quote(p.WireName)}, {FormatExpression(p, QueryField(p) + "Value")});");
            w.Line("}");
        }

        w.Close();
        w.Close();
    }

    private static string QueryField(ParameterEmit p) => "_" + char.ToLowerInvariant(p.PropertyName[0]) + p.PropertyName.Substring(1);

    private static void EmitBoundsCheck(SourceWriter w, ParameterEmit p)
    {
        var wire = SourceLiterals.Quote(p.WireName);
        if (p.IsArray && p.Separator is not null)
        {
            w.Line("if (value is not null)");
            w.Line("{");
            w.Line("    foreach (var item in value)");
            w.Line("    {");
            w.Line($"        if ({ElementText(p, "item")}.Contains({SourceLiterals.Quote(p.Separator)}, global::System.StringComparison.Ordinal))");
            w.Line("        {");
            w.Line($"            throw new global::System.ArgumentOutOfRangeException({wire}, {SourceLiterals.Quote($"A value of '{p.WireName}' cannot contain the separator '{p.Separator}'.")});");
            w.Line("        }");
            w.Line("    }");
            w.Line("}");
            w.Line();
        }

        if (p.Minimum is null && p.Maximum is null)
        {
            return;
        }

        var conditions = new List<string>();
        if (p.Minimum is { } min)
        {
            conditions.Add($"v < {min}");
        }

        if (p.Maximum is { } max)
        {
            conditions.Add($"v > {max}");
        }

        var range = $"'{p.WireName}' must be {(p.Minimum is not null && p.Maximum is not null ? $"between {p.Minimum} and {p.Maximum}" : p.Minimum is not null ? $"at least {p.Minimum}" : $"at most {p.Maximum}")}.";
        w.Line($"if (value is {{ }} v && ({string.Join(" || ", conditions)}))");
        w.Line("{");
        w.Line($"    throw new global::System.ArgumentOutOfRangeException({wire}, v, {SourceLiterals.Quote(range)});");
        w.Line("}");
        w.Line();
    }

    private static string ElementText(ParameterEmit p, string value) => p.Kind switch
    {
        ValueKind.String => value,
        _ => FormatScalar(p.Kind, value),
    };

    /// <summary>The wire text of a parameter value.</summary>
    private static string FormatExpression(ParameterEmit p, string value)
    {
        if (p.IsArray)
        {
            return $"string.Join({SourceLiterals.Quote(p.Separator ?? ",")}, global::System.Linq.Enumerable.Select({value}, static item => {FormatScalar(p.Kind, "item")}))";
        }

        return FormatScalar(p.Kind, value);
    }

    private static string FormatScalar(ValueKind kind, string value) => kind switch
    {
        ValueKind.String => value,
        ValueKind.Int32 or ValueKind.Int64 or ValueKind.Number => $"{value}.ToString(global::System.Globalization.CultureInfo.InvariantCulture)",
        ValueKind.Boolean => $"({value} ? \"true\" : \"false\")",
        ValueKind.Date => $"{value}.ToString(\"yyyy-MM-dd\", global::System.Globalization.CultureInfo.InvariantCulture)",
        ValueKind.EpochMillis => $"{value}.ToUnixTimeMilliseconds().ToString(global::System.Globalization.CultureInfo.InvariantCulture)",
        ValueKind.EpochNanos => $"{value}.Value.ToString(global::System.Globalization.CultureInfo.InvariantCulture)",
        ValueKind.IsoLocal => $"{value}.ToString(\"yyyy-MM-dd'T'HH:mm:ss.FFFFFFF\", global::System.Globalization.CultureInfo.InvariantCulture)",
        ValueKind.IsoUtc => $"{value}.UtcDateTime.ToString(\"yyyy-MM-dd'T'HH:mm:ss.FFFFFFF\", global::System.Globalization.CultureInfo.InvariantCulture)",
        ValueKind.Iso => $"{value}.ToString(\"O\", global::System.Globalization.CultureInfo.InvariantCulture)",
        _ => $"{value}.ToString()",
    };

    private static void EmitFilter(SourceWriter w, FilterEmit filter)
    {
        w.Line($"/// <summary>The attributes of <see cref=\"{filter.ModelName}\"/> a SCIM filter may name ({SourceLiterals.Xml(filter.Parameters)}), typed: text compares with Eq, Ne, Co, Sw, Ew; instants, dates and numbers with Eq, Ne, Gt, Ge, Lt, Le; enums and booleans with Eq, Ne; every attribute has Pr.</summary>");
        w.Line($"/// <remarks>Combine with <c>And</c>, <c>Or</c>, <c>Not</c> (or <c>&amp;</c>, <c>|</c>, <c>!</c>); <c>ToString()</c> gives the filter text.</remarks>");
        w.Line(GeneratedCode);
        w.Open($"public static partial class {filter.ClassName}");
        var first = true;
        foreach (var a in filter.Attributes)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            var what = $"<c>{SourceLiterals.Xml(a.Path)}</c> ({SourceLiterals.Xml(a.TypeDescription)})";
            w.Line($"/// <summary>The attribute {what}{(string.IsNullOrWhiteSpace(a.Description) ? "." : ": " + SourceLiterals.Xml(a.Description!))}</summary>");
            w.Line($"public static {a.AttributeType} {a.PropertyName} {{ get; }} = {a.Construction};");
        }

        w.Close();
    }
}
