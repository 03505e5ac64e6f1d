using System.Text;

namespace EventsBindings.Runtime;

/// <summary>
/// The URL a trace may carry. Kept apart from the scrubber because it knows URL structure: the user info is
/// dropped and query values are redacted by parameter name, which text scrubbing cannot do.
/// </summary>
internal static class UrlRedaction
{
    /// <summary>Query parameters whose values OpenTelemetry's HTTP conventions redact by default (signatures).</summary>
    private static readonly string[] RedactedQueryKeys = { "AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature" };

    /// <summary>
    /// The URL for the trace's <c>url.full</c> (OpenTelemetry HTTP client conventions): without user info,
    /// and with the value of every query parameter that carries a secret (one the scrubber knows, or one of
    /// the conventions' signature parameters) replaced by <c>REDACTED</c>.
    /// </summary>
    public static string FullUrl(Uri uri, SecretScrubber scrubber)
    {
        // Authority: host and port (when not the scheme's default), never the user info.
        var sb = new StringBuilder(uri.Scheme).Append(Uri.SchemeDelimiter).Append(uri.Authority);
        sb.Append(scrubber.Scrub(uri.AbsolutePath));
        var query = uri.Query;
        if (query.Length > 1)
        {
            var first = true;
            foreach (var pair in query[1..].Split('&'))
            {
                sb.Append(first ? '?' : '&');
                first = false;
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? pair : pair[..eq];
                if (eq < 0)
                {
                    sb.Append(scrubber.Scrub(pair));
                    continue;
                }

                var value = pair[(eq + 1)..];
                var secret = Array.IndexOf(RedactedQueryKeys, Uri.UnescapeDataString(name)) >= 0 || scrubber.Scrub(value) != value;
                sb.Append(scrubber.Scrub(name)).Append('=').Append(secret ? "REDACTED" : value);
            }
        }

        return sb.ToString();
    }
}
