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

    public string Scrub(string text)
    {
        foreach (var s in _secrets)
        {
            if (text.Contains(s, StringComparison.Ordinal))
            {
                text = text.Replace(s, Mask, StringComparison.Ordinal);
            }
        }

        return text;
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
