// One file of about 530 lines on purpose: the SCIM filter language (RFC 7644 3.4.2.2) whole: tokenizer, parser with located errors, typed attribute resolution and evaluator, which share the token and node types.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Engine;

/// <summary>A parsed SCIM filter (RFC 7644 §3.4.2.2) whose attributes are typed paths of an item model.</summary>
internal abstract class ScimNode
{
    /// <summary>Whether an item (its JSON as the endpoint shows it) matches.</summary>
    public abstract bool Matches(JsonObject item);
}

/// <summary>
/// Parses and evaluates SCIM filter expressions over items: <c>eq ne co sw ew gt ge lt le pr</c>, <c>and</c>
/// over <c>or</c> with <c>not</c> binding tightest, parentheses, <c>"..."</c> strings with JSON escapes, numbers,
/// <c>true false null</c>; operators and logical words without regard to case, attribute paths exactly as the
/// contract spells them. Values compare by the attribute's type: timestamps and dates as instants, numbers
/// numerically, enums by wire value, text case-sensitively unless the enum or the parameter says otherwise.
/// A path through a list matches when any element does; <c>ne</c> is the negation of <c>eq</c>.
/// </summary>
internal static class ScimFilter
{
    private static readonly string[] Operators = { "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr" };

    /// <summary>
    /// Parses <paramref name="text"/>; attributes are looked up by <paramref name="attribute"/> (null: not filterable).
    /// Returns null with an error message that gives the column (1-based) of the problem.
    /// </summary>
    public static ScimNode? Parse(ContractSpec contract, string text, Func<string, FilterPath?> attribute, bool ignoreCase, out string? error)
    {
        var parser = new Parser(contract, text, attribute, ignoreCase);
        try
        {
            var node = parser.Run();
            error = null;
            return node;
        }
        catch (ScimSyntaxException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>The leaf values of a dotted path in an item; lists (anywhere along the path) are flattened.</summary>
    internal static void Collect(JsonNode? node, string[] steps, int index, List<JsonNode?> into, ref bool absent)
    {
        if (node is JsonArray array)
        {
            foreach (var element in array)
            {
                Collect(element, steps, index, into, ref absent);
            }

            return;
        }

        if (index == steps.Length)
        {
            into.Add(node);
            return;
        }

        if (node is JsonObject obj && obj.TryGetPropertyValue(steps[index], out var child))
        {
            Collect(child, steps, index + 1, into, ref absent);
        }
        else
        {
            absent = true;
        }
    }

    private sealed class ScimSyntaxException(string message) : Exception(message);

    private enum TokenKind
    {
        End,
        Open,
        Close,
        String,
        Word,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Column);

    private sealed class Parser(ContractSpec contract, string text, Func<string, FilterPath?> attribute, bool ignoreCase)
    {
        private int _at;
        private Token? _peeked;

        public ScimNode Run()
        {
            if (Peek().Kind == TokenKind.End)
            {
                throw Fail(1, "the filter is empty");
            }

            var node = ParseOr();
            var rest = Peek();
            if (rest.Kind != TokenKind.End)
            {
                throw Fail(rest.Column, $"unexpected {Describe(rest)}; expected 'and', 'or' or the end");
            }

            return node;
        }

        private ScimNode ParseOr()
        {
            var left = ParseAnd();
            while (IsWord(Peek(), "or"))
            {
                Next();
                left = new Logical(left, ParseAnd(), and: false);
            }

            return left;
        }

        private ScimNode ParseAnd()
        {
            var left = ParseUnary();
            while (IsWord(Peek(), "and"))
            {
                Next();
                left = new Logical(left, ParseUnary(), and: true);
            }

            return left;
        }

        private ScimNode ParseUnary()
        {
            var token = Peek();
            if (IsWord(token, "not"))
            {
                Next();
                return new Negation(ParseUnary());
            }

            if (token.Kind == TokenKind.Open)
            {
                Next();
                var inner = ParseOr();
                var close = Next();
                if (close.Kind != TokenKind.Close)
                {
                    throw Fail(close.Column, $"expected ')' to close the '(' at column {token.Column}, found {Describe(close)}");
                }

                return inner;
            }

            return ParseComparison();
        }

        private ScimNode ParseComparison()
        {
            var name = Next();
            if (name.Kind != TokenKind.Word || !IsPath(name.Text))
            {
                throw Fail(name.Column, $"expected an attribute path, found {Describe(name)}");
            }

            var path = attribute(name.Text) ?? throw Fail(name.Column, $"'{Clip(name.Text)}' is not an attribute this filter can name");
            var opToken = Next();
            var op = opToken.Kind == TokenKind.Word ? opToken.Text.ToLowerInvariant() : string.Empty;
            if (Array.IndexOf(Operators, op) < 0)
            {
                throw Fail(opToken.Column, $"expected an operator ({string.Join(" ", Operators)}) after '{Clip(name.Text)}', found {Describe(opToken)}");
            }

            var kind = ValueCodec.ScalarKind(contract, path.Scalar);
            var caseInsensitive = ignoreCase || path.CaseInsensitive;
            if (op == "pr")
            {
                return new Comparison(contract, path, op, Cell.Missing, caseInsensitive);
            }

            var valueToken = Next();
            var literal = Literal(valueToken, path, kind);
            // Text compares by substring and order; enums (by wire value) and booleans only for equality.
            var textual = kind == TypeKind.String && path.Scalar.Kind != TypeKind.Enum;
            switch (op)
            {
                case "co" or "sw" or "ew" when !textual || literal.Kind != CellKind.Text:
                    throw Fail(opToken.Column, $"'{op}' compares text; '{Clip(name.Text)}' is {path.Type}");
                case "gt" or "ge" or "lt" or "le" when literal.Kind == CellKind.Null:
                    throw Fail(valueToken.Column, $"'{op}' cannot compare with null");
                case "gt" or "ge" or "lt" or "le" when kind == TypeKind.Boolean || path.Scalar.Kind == TypeKind.Enum:
                    throw Fail(opToken.Column, $"'{op}' orders values; '{Clip(name.Text)}' is {path.Type}, which has no order");
            }

            return new Comparison(contract, path, op, literal, caseInsensitive);
        }

        private Cell Literal(Token token, FilterPath path, TypeKind kind)
        {
            if (token.Kind == TokenKind.Word && token.Text == "null")
            {
                return Cell.Null;
            }

            if (token.Kind is not (TokenKind.String or TokenKind.Word) || (token.Kind == TokenKind.Word && !IsNumber(token.Text) && token.Text is not ("true" or "false")))
            {
                throw Fail(token.Column, $"expected a value (a \"string\", a number, true, false or null), found {Describe(token)}");
            }

            var isString = token.Kind == TokenKind.String;
            switch (kind)
            {
                case TypeKind.String when isString:
                    return Cell.Of(token.Text);
                case TypeKind.Int32 or TypeKind.Int64 when !isString && IsNumber(token.Text):
                    return long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? Cell.Of(l) : Cell.OfReal(double.Parse(token.Text, CultureInfo.InvariantCulture));
                case TypeKind.Number when !isString && IsNumber(token.Text):
                    return Cell.OfReal(double.Parse(token.Text, CultureInfo.InvariantCulture));
                case TypeKind.Boolean when !isString && token.Text is "true" or "false":
                    return Cell.Of(token.Text == "true");
                case TypeKind.Timestamp when isString && ValueCodec.TryParseIso(token.Text, out var instant) && ValueCodec.InNanosRange(instant):
                    return Cell.Of(ValueCodec.ToNanos(instant));
                case TypeKind.Timestamp when isString && ValueCodec.TryParseInstant(token.Text, path.Scalar.Encoding, out var encoded):
                    return Cell.Of(ValueCodec.ToNanos(encoded));
                case TypeKind.Timestamp when !isString && path.Scalar.Encoding is TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos && long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch):
                    var cell = ValueCodec.FromJson(contract, path.Scalar, JsonValue.Create(epoch));
                    return cell.HasValue ? cell : throw Fail(token.Column, $"{Clip(token.Text)} is out of range for '{path.Path}'");
                case TypeKind.Date when isString && ValueCodec.TryParseDate(token.Text, out var day):
                    return Cell.Of(ValueCodec.ToNanos(day));
                default:
                    var expected = kind switch
                    {
                        TypeKind.String => "a \"string\"",
                        TypeKind.Int32 or TypeKind.Int64 or TypeKind.Number => "a number",
                        TypeKind.Boolean => "true or false",
                        TypeKind.Timestamp => "an ISO 8601 timestamp in a \"string\"",
                        TypeKind.Date => "a \"yyyy-MM-dd\" date",
                        _ => "a value of its type",
                    };
                    throw Fail(token.Column, $"'{path.Path}' is {path.Type} and needs {expected}, not {Describe(token)}");
            }
        }

        private Token Peek() => _peeked ??= Read();

        private Token Next()
        {
            var token = Peek();
            _peeked = null;
            return token;
        }

        private Token Read()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }

            if (_at >= text.Length)
            {
                return new Token(TokenKind.End, string.Empty, text.Length + 1);
            }

            var start = _at;
            var ch = text[_at];
            switch (ch)
            {
                case '(':
                    _at++;
                    return new Token(TokenKind.Open, "(", start + 1);
                case ')':
                    _at++;
                    return new Token(TokenKind.Close, ")", start + 1);
                case '[' or ']':
                    throw Fail(start + 1, "value filters ('[...]') are not supported; name the attribute with a dotted path");
                case '"':
                    return new Token(TokenKind.String, ReadString(), start + 1);
            }

            while (_at < text.Length && !char.IsWhiteSpace(text[_at]) && text[_at] is not ('(' or ')' or '"' or '[' or ']'))
            {
                _at++;
            }

            return new Token(TokenKind.Word, text.Substring(start, _at - start), start + 1);
        }

        private string ReadString()
        {
            var open = _at;
            _at++;
            var result = new StringBuilder();
            while (_at < text.Length)
            {
                var ch = text[_at++];
                if (ch == '"')
                {
                    return result.ToString();
                }

                if (ch != '\\')
                {
                    if (ch < ' ')
                    {
                        throw Fail(_at, "a control character must be escaped in a string");
                    }

                    result.Append(ch);
                    continue;
                }

                if (_at >= text.Length)
                {
                    break;
                }

                var escape = text[_at++];
                switch (escape)
                {
                    case '"' or '\\' or '/':
                        result.Append(escape);
                        break;
                    case 'b':
                        result.Append('\b');
                        break;
                    case 'f':
                        result.Append('\f');
                        break;
                    case 'n':
                        result.Append('\n');
                        break;
                    case 'r':
                        result.Append('\r');
                        break;
                    case 't':
                        result.Append('\t');
                        break;
                    case 'u' when _at + 4 <= text.Length && int.TryParse(text.AsSpan(_at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                        result.Append((char)code);
                        _at += 4;
                        break;
                    default:
                        throw Fail(_at - 1, $"'\\{escape}' is not a JSON escape");
                }
            }

            throw Fail(open + 1, "the string that starts here is not closed");
        }

        private static bool IsWord(Token token, string word) => token.Kind == TokenKind.Word && string.Equals(token.Text, word, StringComparison.OrdinalIgnoreCase);

        private static bool IsPath(string text)
        {
            foreach (var step in text.Split('.'))
            {
                if (step.Length == 0 || !(char.IsLetter(step[0]) || step[0] is '_' or '$') || step.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '$' or '-' or ':')))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsNumber(string text) =>
            double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d);

        private static string Describe(Token token) => token.Kind switch
        {
            TokenKind.End => "the end of the filter",
            TokenKind.String => $"the string \"{Clip(token.Text)}\"",
            _ => $"'{Clip(token.Text)}'",
        };

        private static string Clip(string value) => ParameterBinder.Clip(value);

        private static ScimSyntaxException Fail(int column, string what) => new($"Invalid filter at column {column}: {what}.");
    }

    private sealed class Logical(ScimNode left, ScimNode right, bool and) : ScimNode
    {
        public override bool Matches(JsonObject item) => and ? left.Matches(item) && right.Matches(item) : left.Matches(item) || right.Matches(item);
    }

    private sealed class Negation(ScimNode inner) : ScimNode
    {
        public override bool Matches(JsonObject item) => !inner.Matches(item);
    }

    private sealed class Comparison(ContractSpec contract, FilterPath path, string op, Cell literal, bool ignoreCase) : ScimNode
    {
        private readonly string[] _steps = path.Path.Split('.');

        public override bool Matches(JsonObject item)
        {
            if (op == "ne")
            {
                return !Equal(item);
            }

            if (op == "eq")
            {
                return Equal(item);
            }

            var values = new List<JsonNode?>();
            var absent = false;
            Collect(item, _steps, 0, values, ref absent);
            foreach (var node in values)
            {
                var cell = ValueCodec.FromJson(contract, path.Scalar, node);
                if (Test(cell))
                {
                    return true;
                }
            }

            return false;
        }

        private bool Equal(JsonObject item)
        {
            var values = new List<JsonNode?>();
            var absent = false;
            Collect(item, _steps, 0, values, ref absent);
            if (literal.Kind == CellKind.Null)
            {
                return values.Count == 0 || values.Exists(v => v is null);
            }

            foreach (var node in values)
            {
                if (Cell.Matches(ValueCodec.FromJson(contract, path.Scalar, node), literal, ignoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        private bool Test(Cell cell)
        {
            if (!cell.HasValue)
            {
                return false;
            }

            var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            switch (op)
            {
                case "pr":
                    return cell.Kind != CellKind.Text || cell.Text!.Length > 0;
                case "co":
                    return cell.Kind == CellKind.Text && cell.Text!.Contains(literal.Text!, comparison);
                case "sw":
                    return cell.Kind == CellKind.Text && cell.Text!.StartsWith(literal.Text!, comparison);
                case "ew":
                    return cell.Kind == CellKind.Text && cell.Text!.EndsWith(literal.Text!, comparison);
            }

            int order;
            if (cell.Kind == CellKind.Text && literal.Kind == CellKind.Text)
            {
                order = string.Compare(cell.Text, literal.Text, comparison);
            }
            else if (cell.Kind is CellKind.Number or CellKind.Real && literal.Kind is CellKind.Number or CellKind.Real)
            {
                order = Cell.Compare(cell, literal);
            }
            else
            {
                return false;
            }

            return op switch
            {
                "gt" => order > 0,
                "ge" => order >= 0,
                "lt" => order < 0,
                _ => order <= 0,
            };
        }
    }
}

/// <summary>
/// Keyword search: every whitespace-separated term is contained, without regard to case, in at least one of
/// the searched text paths of the item. No terms: every item matches.
/// </summary>
internal sealed class KeywordSearch(ContractSpec contract, IReadOnlyList<FilterPath> fields, string[] terms)
{
    private readonly (FilterPath Path, string[] Steps)[] _fields = fields.Select(f => (f, f.Path.Split('.'))).ToArray();

    /// <summary>The terms of a query.</summary>
    public static string[] Terms(string query) => query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public bool Matches(JsonObject item)
    {
        if (terms.Length == 0)
        {
            return true;
        }

        var texts = new List<string>();
        foreach (var (path, steps) in _fields)
        {
            var values = new List<JsonNode?>();
            var absent = false;
            ScimFilter.Collect(item, steps, 0, values, ref absent);
            foreach (var node in values)
            {
                if (ValueCodec.FromJson(contract, path.Scalar, node) is { Kind: CellKind.Text, Text: { } text })
                {
                    texts.Add(text);
                }
            }
        }

        return terms.All(term => texts.Exists(t => t.Contains(term, StringComparison.OrdinalIgnoreCase)));
    }
}
