using System.Text;

namespace EventsBindings.Generator;

/// <summary>C# literal and documentation escaping.</summary>
internal static class SourceLiterals
{
    /// <summary>A C# string literal.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (c < 32 || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A UTF-8 string literal (<c>"…"u8</c>).</summary>
    public static string Utf8(string value) => Quote(value) + "u8";

    /// <summary>Text escaped for an XML doc comment, on one line.</summary>
    public static string Xml(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text!.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '&': builder.Append("&amp;"); break;
                case '\r': break;
                case '\n': builder.Append(' '); break;
                default:
                    builder.Append(c < 32 ? ' ' : c);
                    break;
            }
        }

        return builder.ToString().Trim();
    }
}
