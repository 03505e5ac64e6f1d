using System.Globalization;
using System.Text;

namespace EventsBindings.Runtime.Paging;

/// <summary>One link of an RFC 8288 <c>Link</c> header: its target (as written, possibly relative) and its parameters.</summary>
public sealed class LinkValue
{
    /// <summary>Creates a link.</summary>
    /// <param name="target">The URI reference between <c>&lt;</c> and <c>&gt;</c>.</param>
    /// <param name="parameters">The parameters in order (names lower-cased, values unquoted).</param>
    public LinkValue(string target, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameters);
        Target = target;
        Parameters = parameters;
    }

    /// <summary>The URI reference, as written (resolve it against the request URI).</summary>
    public string Target { get; }

    /// <summary>The parameters in order; names lower-cased, quoted values unescaped.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>
    /// The relation types of the link: the first <c>rel</c> parameter split at whitespace (RFC 8288 §3.3: a
    /// second <c>rel</c> is ignored); empty when there is none.
    /// </summary>
    public IReadOnlyList<string> Relations
    {
        get
        {
            foreach (var (name, value) in Parameters)
            {
                if (name == "rel")
                {
                    return value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                }
            }

            return Array.Empty<string>();
        }
    }

    /// <summary>True when one of the link's relation types is <paramref name="rel"/> (compared case-insensitively).</summary>
    /// <param name="rel">The relation type, e.g. <c>next</c>.</param>
    /// <returns>Whether the link has it.</returns>
    public bool HasRelation(string rel)
    {
        foreach (var r in Relations)
        {
            if (string.Equals(r, rel, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A <c>Link</c> header that does not follow RFC 8288; says where (which header value, which character).</summary>
public sealed class LinkHeaderFormatException : FormatException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">What is wrong, with the location.</param>
    /// <param name="valueIndex">Which of the response's header values (0-based, one per header line).</param>
    /// <param name="position">The character offset (0-based) in that value.</param>
    public LinkHeaderFormatException(string message, int valueIndex, int position)
        : base(message)
    {
        ValueIndex = valueIndex;
        Position = position;
    }

    /// <summary>Which header value (0-based; a response may carry several <c>Link</c> headers).</summary>
    public int ValueIndex { get; }

    /// <summary>The character offset (0-based) in that value where parsing failed.</summary>
    public int Position { get; }
}

/// <summary>Parses RFC 8288 <c>Link</c> headers (web linking): <c>&lt;uri&gt;; rel="next", &lt;uri&gt;; rel=self</c>.</summary>
public static class LinkHeader
{
    /// <summary>Parses one header value (a comma-separated list of links; empty elements are allowed).</summary>
    /// <param name="value">The header value.</param>
    /// <returns>The links in order.</returns>
    /// <exception cref="LinkHeaderFormatException">The value is not a list of links.</exception>
    public static IReadOnlyList<LinkValue> Parse(string value) => Parse(value, 0);

    /// <summary>
    /// The target of the first link with relation <paramref name="rel"/> over all values of the header (in order),
    /// or null when none has it.
    /// </summary>
    /// <param name="values">The header's values, one per header line.</param>
    /// <param name="rel">The relation type, compared case-insensitively.</param>
    /// <returns>The target as written (possibly relative), or null.</returns>
    /// <exception cref="LinkHeaderFormatException">A value is not a list of links.</exception>
    public static string? FindTarget(IEnumerable<string>? values, string rel)
    {
        ArgumentNullException.ThrowIfNull(rel);
        if (values is null)
        {
            return null;
        }

        var index = 0;
        string? found = null;
        foreach (var value in values)
        {
            // Every value is parsed, so that a malformed header is reported even after a good one.
            foreach (var link in Parse(value, index))
            {
                if (found is null && link.HasRelation(rel))
                {
                    found = link.Target;
                }
            }

            index++;
        }

        return found;
    }

    private static IReadOnlyList<LinkValue> Parse(string value, int valueIndex)
    {
        ArgumentNullException.ThrowIfNull(value);
        var links = new List<LinkValue>();
        var i = 0;
        while (true)
        {
            // Empty list elements and whitespace between links.
            while (i < value.Length && (IsWhite(value[i]) || value[i] == ','))
            {
                i++;
            }

            if (i >= value.Length)
            {
                return links;
            }

            if (value[i] != '<')
            {
                throw Error(valueIndex, i, $"expected '<' to open a link target, found '{Shown(value[i])}'");
            }

            var close = value.IndexOf('>', i + 1);
            if (close < 0)
            {
                throw Error(valueIndex, i, "the link target's '<' is never closed by '>'");
            }

            var target = value.Substring(i + 1, close - i - 1).Trim();
            i = close + 1;
            var parameters = new List<KeyValuePair<string, string>>();
            while (true)
            {
                SkipWhite(value, ref i);
                if (i >= value.Length || value[i] == ',')
                {
                    break;
                }

                if (value[i] != ';')
                {
                    throw Error(valueIndex, i, $"expected ';' before a link parameter or ',' before the next link, found '{Shown(value[i])}'");
                }

                i++;
                SkipWhite(value, ref i);
                var nameStart = i;
                while (i < value.Length && IsTokenChar(value[i]))
                {
                    i++;
                }

                if (i == nameStart)
                {
                    throw Error(valueIndex, i, i < value.Length ? $"expected a parameter name, found '{Shown(value[i])}'" : "expected a parameter name, found the end");
                }

                var name = value.Substring(nameStart, i - nameStart).ToLowerInvariant();
                SkipWhite(value, ref i);
                var parameterValue = string.Empty;
                if (i < value.Length && value[i] == '=')
                {
                    i++;
                    SkipWhite(value, ref i);
                    if (i < value.Length && value[i] == '"')
                    {
                        parameterValue = Quoted(value, ref i, valueIndex);
                    }
                    else
                    {
                        var valueStart = i;
                        while (i < value.Length && IsTokenChar(value[i]))
                        {
                            i++;
                        }

                        if (i == valueStart)
                        {
                            throw Error(valueIndex, i, $"the parameter '{name}' has '=' but no value");
                        }

                        parameterValue = value.Substring(valueStart, i - valueStart);
                    }
                }

                parameters.Add(new KeyValuePair<string, string>(name, parameterValue));
            }

            links.Add(new LinkValue(target, parameters));
        }
    }

    private static string Quoted(string value, ref int i, int valueIndex)
    {
        var start = i;
        i++;
        var sb = new StringBuilder();
        while (i < value.Length)
        {
            var c = value[i];
            if (c == '"')
            {
                i++;
                return sb.ToString();
            }

            if (c == '\\')
            {
                i++;
                if (i >= value.Length)
                {
                    break;
                }

                c = value[i];
            }

            sb.Append(c);
            i++;
        }

        throw Error(valueIndex, start, "a quoted parameter value is never closed by '\"'");
    }

    private static LinkHeaderFormatException Error(int valueIndex, int position, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The Link header{(valueIndex > 0 ? " (value " + (valueIndex + 1).ToString(CultureInfo.InvariantCulture) + ")" : string.Empty)} is malformed at character {position + 1}: {what}."), valueIndex, position);

    private static string Shown(char c) => char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString();

    private static bool IsWhite(char c) => c is ' ' or '\t';

    private static void SkipWhite(string value, ref int i)
    {
        while (i < value.Length && IsWhite(value[i]))
        {
            i++;
        }
    }

    /// <summary>RFC 9110 tchar, plus the characters of RFC 8187 extended values (<c>'</c> and <c>%</c> are tchars already).</summary>
    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
        or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
