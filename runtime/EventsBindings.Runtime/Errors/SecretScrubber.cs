using System.Text;

namespace EventsBindings.Runtime;

/// <summary>
/// Removes known secret values from text before it is put into an exception, a log or a trace. A secret is
/// found as it is, percent-encoded (a URL) and JSON-escaped as servers echo it: any character written as
/// <c>\uXXXX</c> (either hex case, e.g. <c>\u002B</c> for <c>+</c> in base64), <c>\/</c> for <c>/</c>, or a
/// short escape (<c>\"</c>, <c>\\</c>, <c>\n</c>, …).
/// </summary>
internal sealed class SecretScrubber
{
    private const string Mask = "***";
    private const int WholeWordBelow = 8;
    private readonly List<string> _secrets = new(4);

    /// <summary>Grows whenever a secret is added, so that callers can cache text scrubbed with the secrets known then.</summary>
    public int Version => _secrets.Count;

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        AddOne(secret);

        // In a URL (a query value) a secret appears percent-encoded.
        AddOne(Uri.EscapeDataString(secret));
    }

    private void AddOne(string secret)
    {
        if (!_secrets.Contains(secret))
        {
            _secrets.Add(secret);

            // Longest first, so that a secret containing another is masked whole.
            _secrets.Sort(static (a, b) => b.Length.CompareTo(a.Length));
        }
    }

    /// <summary>
    /// Masks every secret. Secrets of <see cref="WholeWordBelow"/> characters or more are masked wherever they
    /// occur; shorter ones (test keys, typos) only where they stand as a whole token, so that a one-letter
    /// "secret" does not garble every message while a short key echoed by a server is still masked.
    /// </summary>
    public string Scrub(string text)
    {
        if (_secrets.Count == 0 || text.Length == 0)
        {
            return text;
        }

        // Escapes can only hide a secret in text that has a backslash; without one, a plain search is enough.
        var escaped = text.Contains('\\', StringComparison.Ordinal);
        foreach (var s in _secrets)
        {
            if (!escaped && !text.Contains(s, StringComparison.Ordinal))
            {
                continue;
            }

            text = Replace(text, s, wholeToken: s.Length < WholeWordBelow, escaped);
        }

        return text;
    }

    private static string Replace(string text, string secret, bool wholeToken, bool escaped)
    {
        StringBuilder? sb = null;
        var copied = 0;
        var i = 0;
        while (i < text.Length)
        {
            int at, end;
            if (escaped)
            {
                at = i;
                end = MatchAt(text, i, secret);
            }
            else
            {
                at = text.IndexOf(secret, i, StringComparison.Ordinal);
                end = at < 0 ? -1 : at + secret.Length;
            }

            if (at < 0)
            {
                break;
            }

            if (end < 0)
            {
                i++;
                continue;
            }

            var bounded = (at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]));
            if (wholeToken && !bounded)
            {
                i = escaped ? at + 1 : end;
                continue;
            }

            sb ??= new StringBuilder(text.Length);
            sb.Append(text, copied, at - copied).Append(Mask);
            copied = end;
            i = end;
        }

        return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Where a (possibly JSON-escaped) occurrence of <paramref name="secret"/> starting at <paramref name="start"/> ends, or -1.</summary>
    private static int MatchAt(string text, int start, string secret)
    {
        var k = start;
        foreach (var c in secret)
        {
            if (k >= text.Length)
            {
                return -1;
            }

            if (text[k] == '\\' && Unescape(text, k, out var decoded, out var length) && decoded == c)
            {
                k += length;
            }
            else if (text[k] == c)
            {
                k++;
            }
            else
            {
                return -1;
            }
        }

        return k;
    }

    /// <summary>Decodes the JSON escape at <paramref name="at"/> (one UTF-16 unit).</summary>
    private static bool Unescape(string text, int at, out char decoded, out int length)
    {
        decoded = '\0';
        length = 0;
        if (at + 1 >= text.Length)
        {
            return false;
        }

        switch (text[at + 1])
        {
            case 'u':
                if (at + 6 > text.Length)
                {
                    return false;
                }

                var value = 0;
                for (var j = at + 2; j < at + 6; j++)
                {
                    var h = HexValue(text[j]);
                    if (h < 0)
                    {
                        return false;
                    }

                    value = (value << 4) | h;
                }

                decoded = (char)value;
                length = 6;
                return true;
            case '/': decoded = '/'; break;
            case '"': decoded = '"'; break;
            case '\\': decoded = '\\'; break;
            case 'b': decoded = '\b'; break;
            case 'f': decoded = '\f'; break;
            case 'n': decoded = '\n'; break;
            case 'r': decoded = '\r'; break;
            case 't': decoded = '\t'; break;
            default: return false;
        }

        length = 2;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>A bounded, single-line, scrubbed excerpt of a body.</summary>
    public string? Excerpt(ReadOnlySpan<byte> body, int max)
    {
        if (body.Length == 0 || max <= 0)
        {
            return null;
        }

        // Decode a little more than needed so that scrubbing sees whole secrets near the cut.
        var take = Math.Min(body.Length, (max * 4) + 1024);
        var text = Encoding.UTF8.GetString(body[..take]);
        text = Scrub(text);
        var sb = new StringBuilder(Math.Min(text.Length, max) + 1);
        foreach (var c in text)
        {
            if (sb.Length >= max)
            {
                break;
            }

            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        var truncated = sb.Length < text.Length || take < body.Length;
        var result = sb.ToString().Trim();
        return truncated ? result + "…" : result;
    }
}
