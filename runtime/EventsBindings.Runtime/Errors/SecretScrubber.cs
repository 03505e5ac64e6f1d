using System.Text;

namespace EventsBindings.Runtime;

/// <summary>Removes known secret values from text before it is put into an exception or a log.</summary>
internal sealed class SecretScrubber
{
    private const string Mask = "***";
    private readonly List<string> _secrets = new(4);

    public void Add(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && !_secrets.Contains(secret))
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
        foreach (var s in _secrets)
        {
            if (!text.Contains(s, StringComparison.Ordinal))
            {
                continue;
            }

            text = s.Length >= WholeWordBelow ? text.Replace(s, Mask, StringComparison.Ordinal) : ReplaceTokens(text, s);
        }

        return text;
    }

    private const int WholeWordBelow = 8;

    private static string ReplaceTokens(string text, string secret)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var at = text.IndexOf(secret, i, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            var end = at + secret.Length;
            var bounded = (at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]));
            sb.Append(text, i, at - i).Append(bounded ? Mask : secret);
            i = end;
        }

        sb.Append(text, i, text.Length - i);
        return sb.ToString();
    }

    /// <summary>A bounded, single-line, scrubbed excerpt of a body.</summary>
    public string? Excerpt(byte[] body, int max)
    {
        if (body.Length == 0 || max <= 0)
        {
            return null;
        }

        // Decode a little more than needed so that scrubbing sees whole secrets near the cut.
        var take = Math.Min(body.Length, (max * 4) + 1024);
        var text = Encoding.UTF8.GetString(body, 0, take);
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
