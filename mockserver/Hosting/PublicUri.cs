using Microsoft.AspNetCore.Http;

namespace EventsBindings.MockServer.Hosting;

/// <summary>
/// The URI a client used to reach the mock, for the absolute links the mock writes (next links): the request's
/// own, unless a reverse proxy in front of the mock says where it was reached, in a <c>Forwarded</c> header
/// (RFC 7239, its first element's <c>host</c> and <c>proto</c>) or in <c>X-Forwarded-Host</c> /
/// <c>X-Forwarded-Proto</c>. Without this, a link would name the mock's own port, and a client behind the
/// proxy rightly refuses to follow a link to another origin with its credentials.
/// </summary>
internal static class PublicUri
{
    /// <summary>The absolute URI of <paramref name="request"/> as its client addressed it.</summary>
    public static Uri Of(HttpRequest request)
    {
        var scheme = request.Scheme;
        var host = request.Host.Value ?? "localhost";
        if (request.Headers.TryGetValue("Forwarded", out var forwarded) && forwarded.Count > 0)
        {
            // Only the first element (the proxy nearest the client); its pairs are separated by ';'.
            var first = forwarded[0]!.Split(',')[0];
            foreach (var pair in first.Split(';'))
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                {
                    continue;
                }

                var name = pair[..at].Trim();
                var value = pair[(at + 1)..].Trim().Trim('"');
                if (name.Equals("host", StringComparison.OrdinalIgnoreCase) && IsAuthority(value))
                {
                    host = value;
                }
                else if (name.Equals("proto", StringComparison.OrdinalIgnoreCase) && IsScheme(value))
                {
                    scheme = value.ToLowerInvariant();
                }
            }
        }
        else
        {
            if (FirstValue(request, "X-Forwarded-Host") is { } forwardedHost && IsAuthority(forwardedHost))
            {
                host = forwardedHost;
            }

            if (FirstValue(request, "X-Forwarded-Proto") is { } proto && IsScheme(proto))
            {
                scheme = proto.ToLowerInvariant();
            }
        }

        return new Uri(scheme + "://" + host + request.PathBase.Value + request.Path.Value + request.QueryString.Value, UriKind.Absolute);
    }

    private static string? FirstValue(HttpRequest request, string header) =>
        request.Headers.TryGetValue(header, out var values) && values.Count > 0 && values[0] is { Length: > 0 } v ? v.Split(',')[0].Trim() : null;

    private static bool IsScheme(string value) =>
        value.Equals("http", StringComparison.OrdinalIgnoreCase) || value.Equals("https", StringComparison.OrdinalIgnoreCase);

    /// <summary>A host with an optional port and nothing else (no path, user info or query): a forged value cannot reshape the link.</summary>
    private static bool IsAuthority(string value) =>
        value.Length > 0 && Uri.TryCreate("http://" + value + "/", UriKind.Absolute, out var uri)
        && uri.AbsolutePath == "/" && uri.UserInfo.Length == 0 && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && value.IndexOfAny(new[] { '/', '@', '?', '#', '\\' }) < 0;
}
