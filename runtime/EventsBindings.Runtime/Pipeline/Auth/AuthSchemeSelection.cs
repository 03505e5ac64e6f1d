using EventsBindings.Runtime.Infrastructure;

namespace EventsBindings.Runtime;

/// <summary>
/// Picks the contract's auth scheme for a credential, and rejects a scheme the contract describes too poorly
/// to use, when the client is built: a misconfiguration fails at construction, not at the first request.
/// </summary>
internal static class AuthSchemeSelection
{
    /// <summary>The scheme named by the options, else the first one the credential fits, in the contract's order.</summary>
    public static AuthSchemeDescriptor Select(ApiDescriptor api, EventsCredential credential, string? name)
    {
        if (name is not null)
        {
            var scheme = api.FindScheme(name)
                ?? throw new ArgumentException($"The API {api.Name} has no auth scheme '{name}'; it has: {string.Join(", ", api.Schemes.Select(s => s.Name))}.", nameof(name));
            if (!Fits(scheme, credential))
            {
                throw new ArgumentException($"The auth scheme '{scheme.Name}' ({scheme.Kind}) does not take a {credential.GetType().Name}.", nameof(credential));
            }

            return Checked(scheme);
        }

        foreach (var s in api.Schemes)
        {
            if (Fits(s, credential))
            {
                return Checked(s);
            }
        }

        throw new ArgumentException($"No auth scheme of the API {api.Name} takes a {credential.GetType().Name}; it has: {string.Join(", ", api.Schemes.Select(s => s.Name + " (" + s.Kind + ")"))}.", nameof(credential));
    }

    private static bool Fits(AuthSchemeDescriptor s, EventsCredential c) => c.IsRefreshToken == (s.Kind == AuthSchemeKind.RefreshToken);

    private static AuthSchemeDescriptor Checked(AuthSchemeDescriptor s)
    {
        if (s.Kind == AuthSchemeKind.ApiKey && string.IsNullOrEmpty(s.HeaderName))
        {
            throw new ArgumentException($"The apiKey scheme '{s.Name}' names no header.");
        }

        if (s.Kind == AuthSchemeKind.Authorization && (string.IsNullOrEmpty(s.AuthorizationScheme) || s.AuthorizationScheme.Any(c => c <= ' ' || c >= (char)127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))))
        {
            throw new ArgumentException($"The authorization scheme '{s.Name}' needs a scheme name that is an HTTP token.");
        }

        if (s.Kind == AuthSchemeKind.RefreshToken && (string.IsNullOrEmpty(s.ExchangePath) || string.IsNullOrEmpty(s.TokenField)))
        {
            throw new ArgumentException($"The refreshToken scheme '{s.Name}' needs an exchange path and a token field.");
        }

        return s;
    }
}
