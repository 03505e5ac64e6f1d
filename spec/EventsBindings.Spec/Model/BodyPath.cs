using System.Text;

namespace EventsBindings.Spec.Model;

/// <summary>
/// A path from the root object of a JSON body to one of its fields, as a contract writes it: names separated by
/// dots (<c>links.next</c>), and a name that holds a dot, a bracket or a quote in the bracket form
/// (<c>['@odata.nextLink']</c>, <c>meta['next.url']</c>; inside the quotes <c>\'</c> is a quote and <c>\\</c> a
/// backslash). Parsed once here; every consumer (the generator, the mock, the kit) uses <see cref="Segments"/>.
/// </summary>
/// <param name="Text">The path as the contract writes it.</param>
/// <param name="Segments">The property names from the root, unescaped.</param>
public sealed record BodyPath(string Text, EquatableArray<string> Segments)
{
    /// <summary>The path as the contract writes it.</summary>
    public override string ToString() => Text;

    /// <summary>The path of the given property names, written as a contract would write it (names with a dot, bracket or quote in the bracket form).</summary>
    /// <param name="segments">The property names from the root.</param>
    /// <returns>The path.</returns>
    public static BodyPath Of(params string[] segments)
    {
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Length > 0 && segment.IndexOfAny(Special) < 0)
            {
                text.Append(text.Length == 0 ? string.Empty : ".").Append(segment);
            }
            else
            {
                text.Append("['").Append(segment.Replace("\\", "\\\\").Replace("'", "\\'")).Append("']");
            }
        }

        return new BodyPath(text.ToString(), segments.ToEquatableArray());
    }

    private static readonly char[] Special = { '.', '[', ']', '\'', '\\' };

    /// <summary>Parses a path.</summary>
    /// <param name="text">The path as the contract writes it.</param>
    /// <param name="error">Why the text is not a path (with the 1-based character position), when the result is null.</param>
    /// <returns>The path, or null.</returns>
    public static BodyPath? TryParse(string text, out string? error)
    {
        error = null;
        var segments = new List<string>();
        var i = 0;
        if (text.Length == 0)
        {
            error = "an empty path";
            return null;
        }

        while (i < text.Length)
        {
            if (text[i] == '[')
            {
                if (i + 1 >= text.Length || text[i + 1] != '\'')
                {
                    error = $"at character {i + 1}: '[' opens a quoted name, ['like.this']";
                    return null;
                }

                var name = new StringBuilder();
                var j = i + 2;
                var closed = false;
                while (j < text.Length)
                {
                    var c = text[j];
                    if (c == '\\')
                    {
                        if (j + 1 >= text.Length || (text[j + 1] != '\'' && text[j + 1] != '\\'))
                        {
                            error = $"at character {j + 1}: inside quotes a backslash escapes only a quote (\\') or a backslash (\\\\)";
                            return null;
                        }

                        name.Append(text[j + 1]);
                        j += 2;
                        continue;
                    }

                    if (c == '\'')
                    {
                        closed = true;
                        break;
                    }

                    name.Append(c);
                    j++;
                }

                if (!closed || j + 1 >= text.Length || text[j + 1] != ']')
                {
                    error = $"at character {i + 1}: the quoted name is not closed by ']";
                    return null;
                }

                if (name.Length == 0)
                {
                    error = $"at character {i + 1}: an empty name ['']";
                    return null;
                }

                segments.Add(name.ToString());
                i = j + 2;
            }
            else
            {
                var start = i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    if (text[i] is ']' or '\'' or '\\')
                    {
                        error = $"at character {i + 1}: '{text[i]}' may stand in a name only inside quotes, ['like.this']";
                        return null;
                    }

                    i++;
                }

                if (i == start)
                {
                    error = $"at character {i + 1}: a name is missing";
                    return null;
                }

                segments.Add(text.Substring(start, i - start));
            }

            if (i < text.Length)
            {
                if (text[i] == '.')
                {
                    i++;
                    if (i >= text.Length)
                    {
                        error = $"at character {i}: a name is missing after the dot";
                        return null;
                    }
                }
                else if (text[i] != '[')
                {
                    error = $"at character {i + 1}: after a quoted name comes '.', '[' or the end";
                    return null;
                }
            }
        }

        return new BodyPath(text, segments.ToEquatableArray());
    }
}
