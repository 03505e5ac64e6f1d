using System.Globalization;
using System.Text;
using System.Text.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.Testing;

/// <summary>
/// An attribute path as the oracle reads it from the contract: the last field's type, whether its values match
/// without regard to case (an enum the contract marks <c>caseInsensitive</c>), whether it crosses a list.
/// </summary>
/// <param name="Path">The dotted JSON names.</param>
/// <param name="Type">The last field's type (an array type for a list of scalars).</param>
/// <param name="IgnoreCase">The last field is an enum whose values the contract matches without regard to case.</param>
/// <param name="Multi">The path crosses a list: an item matches when any element does.</param>
public sealed record OraclePath(string Path, TypeRef Type, bool IgnoreCase, bool Multi)
{
    /// <summary>The scalar type compared (the element type of a list).</summary>
    public TypeRef Scalar => Type.IsArray ? Type with { IsArray = false } : Type;
}

/// <summary>
/// An independent reading of the <c>scim</c> and <c>keywords</c> semantics over items as served: a SCIM filter
/// (tokens, precedence not &gt; and &gt; or, typed comparisons, any element of a list) and keyword search, plus
/// expressions made from the data (so that each selects something) for the contract tests. It resolves attribute
/// paths and the case rule itself, by walking the contract's models, fields and enums as contracts/README.md
/// describes them (not through the spec's <c>FilterPaths</c>, which the mock uses).
/// </summary>
public static class ScimOracle
{
    /// <summary>
    /// Follows a dotted path from <paramref name="model"/> through nested models (and lists of them) by JSON
    /// names; null when a step names no field.
    /// </summary>
    public static OraclePath? Resolve(ContractSpec contract, ModelSpec model, string path)
    {
        ModelSpec? current = model;
        FieldSpec? field = null;
        var multi = false;
        foreach (var step in path.Split('.'))
        {
            field = current?.Fields.FirstOrDefault(f => f.JsonName == step);
            if (field is null)
            {
                return null;
            }

            multi |= field.Type.IsArray;
            current = field.Type.Kind == TypeKind.Model ? contract.Models.FirstOrDefault(m => m.Name == field.Type.Name) : null;
        }

        return field is null ? null : new OraclePath(path, field.Type, IgnoresCase(contract, field.Type), multi);
    }

    /// <summary>
    /// The paths a parameter names: its <c>attributes</c> (scim) or <c>fields</c> (keywords) that end at a scalar;
    /// when it declares none, every path that ends at a scalar through nested models and lists (scim) or every
    /// text path (keywords: strings and string enums). A model met again along its own path is not entered twice.
    /// </summary>
    public static IReadOnlyList<OraclePath> Paths(ContractSpec contract, ModelSpec model, SemanticsSpec s)
    {
        var declared = s.Kind == SemanticsKind.Keywords ? s.Fields : s.Attributes;
        if (declared.Count > 0)
        {
            return declared.Select(d => Resolve(contract, model, d)).Where(r => r is not null && EndsAtScalar(r.Type)).Select(r => r!).ToList();
        }

        var all = new List<OraclePath>();
        Walk(contract, model, string.Empty, false, new List<string> { model.Name }, all);
        return s.Kind == SemanticsKind.Keywords ? all.Where(p => IsText(contract, p.Scalar)).ToList() : all;
    }

    private static void Walk(ContractSpec contract, ModelSpec model, string prefix, bool multi, List<string> seen, List<OraclePath> into)
    {
        foreach (var field in model.Fields)
        {
            var path = prefix + field.JsonName;
            var isMulti = multi || field.Type.IsArray;
            if (field.Type.Kind == TypeKind.Model)
            {
                var child = contract.Models.FirstOrDefault(m => m.Name == field.Type.Name);
                if (child is not null && !seen.Contains(child.Name))
                {
                    seen.Add(child.Name);
                    Walk(contract, child, path + ".", isMulti, seen, into);
                    seen.RemoveAt(seen.Count - 1);
                }
            }
            else if (EndsAtScalar(field.Type))
            {
                into.Add(new OraclePath(path, field.Type, IgnoresCase(contract, field.Type), isMulti));
            }
        }
    }

    private static bool EndsAtScalar(TypeRef type) => type.Kind is not (TypeKind.Model or TypeKind.Json);

    private static EnumSpec? EnumOf(ContractSpec contract, TypeRef type) =>
        type.Kind == TypeKind.Enum ? contract.Enums.FirstOrDefault(e => e.Name == type.Name) : null;

    private static bool IgnoresCase(ContractSpec contract, TypeRef type) => EnumOf(contract, type)?.CaseInsensitive == true;

    private static bool IsText(ContractSpec contract, TypeRef scalar) =>
        scalar.Kind == TypeKind.String || EnumOf(contract, scalar)?.UnderlyingType == TypeKind.String;

    /// <summary>The scalar values at a dotted path; lists anywhere along it are flattened.</summary>
    public static List<JsonElement> Values(JsonElement item, string path)
    {
        var current = new List<JsonElement> { item };
        foreach (var step in path.Split('.'))
        {
            var next = new List<JsonElement>();
            foreach (var e in current.SelectMany(Flatten))
            {
                if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(step, out var child))
                {
                    next.Add(child);
                }
            }

            current = next;
        }

        return current.SelectMany(Flatten).ToList();
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : new List<JsonElement> { e };

    /// <summary>Keyword search: every term in one of the fields, without regard to case.</summary>
    public static bool Keywords(ContractSpec contract, ModelSpec model, SemanticsSpec s, string query, JsonElement item)
    {
        var texts = Paths(contract, model, s).SelectMany(f => Values(item, f.Path)).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();
        return query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).All(t => texts.Exists(x => x.Contains(t, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Whether an item satisfies a SCIM filter (the filter is assumed well-formed).</summary>
    public static bool Scim(ContractSpec contract, ModelSpec model, ParameterSpec p, string filter, JsonElement item)
    {
        var tokens = Tokenize(filter);
        var at = 0;
        var result = Or(tokens, ref at, contract, model, p, item);
        return result;
    }

    private static bool Or(List<string> t, ref int at, ContractSpec c, ModelSpec m, ParameterSpec p, JsonElement item)
    {
        var value = And(t, ref at, c, m, p, item);
        while (at < t.Count && t[at].Equals("or", StringComparison.OrdinalIgnoreCase))
        {
            at++;
            var right = And(t, ref at, c, m, p, item);
            value = value || right;
        }

        return value;
    }

    private static bool And(List<string> t, ref int at, ContractSpec c, ModelSpec m, ParameterSpec p, JsonElement item)
    {
        var value = Unary(t, ref at, c, m, p, item);
        while (at < t.Count && t[at].Equals("and", StringComparison.OrdinalIgnoreCase))
        {
            at++;
            var right = Unary(t, ref at, c, m, p, item);
            value = value && right;
        }

        return value;
    }

    private static bool Unary(List<string> t, ref int at, ContractSpec c, ModelSpec m, ParameterSpec p, JsonElement item)
    {
        if (t[at].Equals("not", StringComparison.OrdinalIgnoreCase))
        {
            at++;
            return !Unary(t, ref at, c, m, p, item);
        }

        if (t[at] == "(")
        {
            at++;
            var inner = Or(t, ref at, c, m, p, item);
            at++; // ')'
            return inner;
        }

        var path = t[at++];
        var op = t[at++].ToLowerInvariant();
        var attribute = Resolve(c, m, path)!;
        var values = Values(item, path).Where(v => v.ValueKind != JsonValueKind.Null).ToList();
        if (op == "pr")
        {
            return values.Exists(v => v.ValueKind != JsonValueKind.String || v.GetString()!.Length > 0);
        }

        var literal = t[at++];
        if (literal == "null")
        {
            return op == "eq" ? values.Count == 0 : values.Count > 0;
        }

        var ignoreCase = p.CaseInsensitive || p.Semantics.CaseInsensitive || attribute.IgnoreCase;
        var eq = values.Exists(v => Compare(c, attribute, v, literal, ignoreCase) == 0);
        return op switch
        {
            "eq" => eq,
            "ne" => !eq,
            "co" => values.Exists(v => v.GetString()!.Contains(Unquote(literal), Cmp(ignoreCase))),
            "sw" => values.Exists(v => v.GetString()!.StartsWith(Unquote(literal), Cmp(ignoreCase))),
            "ew" => values.Exists(v => v.GetString()!.EndsWith(Unquote(literal), Cmp(ignoreCase))),
            "gt" => values.Exists(v => Compare(c, attribute, v, literal, ignoreCase) > 0),
            "ge" => values.Exists(v => Compare(c, attribute, v, literal, ignoreCase) >= 0),
            "lt" => values.Exists(v => Compare(c, attribute, v, literal, ignoreCase) < 0),
            _ => values.Exists(v => Compare(c, attribute, v, literal, ignoreCase) <= 0),
        };
    }

    private static StringComparison Cmp(bool ignoreCase) => ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Compares an item's value with a literal by the attribute's type; int.MinValue when they cannot compare.</summary>
    private static int Compare(ContractSpec c, OraclePath attribute, JsonElement value, string literal, bool ignoreCase)
    {
        var kind = EnumOf(c, attribute.Scalar)?.UnderlyingType ?? attribute.Scalar.Kind;
        switch (kind)
        {
            case TypeKind.Timestamp:
            case TypeKind.Date:
                var at = Oracle.Instant(value, attribute.Scalar.Encoding);
                var lit = literal.StartsWith('"') ? DateTimeOffset.Parse(Unquote(literal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
                    : Oracle.Instant(JsonDocument.Parse(literal).RootElement, attribute.Scalar.Encoding);
                return at is { } a && lit is { } l ? a.CompareTo(l) : int.MinValue;
            case TypeKind.Int32:
            case TypeKind.Int64:
            case TypeKind.Number:
                return value.ValueKind == JsonValueKind.Number ? value.GetDouble().CompareTo(double.Parse(literal, CultureInfo.InvariantCulture)) : int.MinValue;
            case TypeKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False && (value.ValueKind == JsonValueKind.True) == (literal == "true") ? 0 : int.MinValue;
            default:
                return value.ValueKind == JsonValueKind.String ? string.Compare(value.GetString(), Unquote(literal), Cmp(ignoreCase)) : int.MinValue;
        }
    }

    private static string Unquote(string literal) => JsonSerializer.Deserialize<string>(literal)!;

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (text[i] is '(' or ')')
            {
                tokens.Add(text[i++].ToString());
            }
            else if (text[i] == '"')
            {
                var start = i++;
                while (text[i] != '"')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                tokens.Add(text[start..++i]);
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    /// <summary>A SCIM string literal.</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text);

    /// <summary>
    /// Filters made from values seen in the data, each of which the data can satisfy: eq on an enum, sw and co on
    /// text, gt and lt on a timestamp, pr, and combinations with and, or, not and parentheses.
    /// </summary>
    public static List<(string Name, string Filter)> Expressions(ContractSpec contract, ModelSpec model, SemanticsSpec s, IReadOnlyList<JsonElement> universe)
    {
        var paths = Paths(contract, model, s);
        string? Seen(OraclePath f) => universe.SelectMany(i => Values(i, f.Path)).Where(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length >= 3).Select(v => v.GetString()!).GroupBy(x => x, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();
        var result = new List<(string, string)>();
        var enumPath = paths.FirstOrDefault(f => EnumOf(contract, f.Scalar)?.UnderlyingType == TypeKind.String && Seen(f) is not null);
        var textPaths = paths.Where(f => f.Scalar.Kind == TypeKind.String && Seen(f) is not null).ToList();
        var timePath = paths.FirstOrDefault(f => f.Scalar.Kind == TypeKind.Timestamp && !f.Multi);
        string? enumEq = enumPath is null ? null : $"{enumPath.Path} eq {Quote(Seen(enumPath)!)}";
        if (enumEq is not null)
        {
            result.Add(("eq-enum", enumEq));
        }

        string? sw = null;
        if (textPaths.Count > 0)
        {
            var text = textPaths[0];
            var value = Seen(text)!;
            sw = $"{text.Path} sw {Quote(value[..2])}";
            result.Add(("sw-text", sw));
            result.Add(("co-text", $"{text.Path} co {Quote(value[1..^1])}"));
            result.Add(("pr", $"{text.Path} pr"));
            var multi = textPaths.FirstOrDefault(f => f.Multi);
            if (multi is not null)
            {
                result.Add(("eq-list-any", $"{multi.Path} eq {Quote(Seen(multi)!)}"));
            }
        }

        string? time = null;
        if (timePath is not null)
        {
            var instants = universe.Select(i => Oracle.Instant(Oracle.At(i, timePath.Path), timePath.Scalar.Encoding)).Where(x => x is not null).Select(x => x!.Value).Order().ToList();
            if (instants.Count > 4)
            {
                var lo = instants[instants.Count / 4].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                var hi = instants[instants.Count * 3 / 4].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                time = $"{timePath.Path} gt \"{lo}\" and {timePath.Path} lt \"{hi}\"";
                result.Add(("gt-lt-time", time));
            }
        }

        if (enumEq is not null && sw is not null)
        {
            result.Add(("and-or-parentheses", $"({enumEq} or {sw}) and not ({sw})"));
            result.Add(("or-not", $"not ({enumEq}) or {sw}"));
        }

        if (time is not null && (enumEq ?? sw) is { } other)
        {
            result.Add(("time-and", $"{time} and {other}"));
        }

        return result;
    }

    /// <summary>Keyword queries made from words seen in the searched fields: one word, two words of one item, a word in another case.</summary>
    public static List<string> KeywordQueries(ContractSpec contract, ModelSpec model, SemanticsSpec s, IReadOnlyList<JsonElement> universe)
    {
        var paths = Paths(contract, model, s);
        var words = new List<string>();
        foreach (var item in universe.Take(20))
        {
            var texts = paths.SelectMany(f => Values(item, f.Path)).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
                .SelectMany(x => x.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length >= 3).Distinct(StringComparer.Ordinal).ToList();
            if (texts.Count >= 2)
            {
                words.Add(texts[0]);
                words.Add(texts[0] + " " + texts[^1]);
                words.Add(new StringBuilder(texts[0].ToUpperInvariant()).ToString());
                break;
            }
        }

        return words;
    }
}
