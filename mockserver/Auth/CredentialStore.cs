using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using EventsBindings.Spec.Model;
using Microsoft.AspNetCore.Http;

namespace EventsBindings.MockServer.Auth;

/// <summary>The result of checking a request's credentials.</summary>
internal enum AuthOutcome
{
    /// <summary>A credential that may read was presented.</summary>
    Ok,

    /// <summary>No credential, or none that is valid (401).</summary>
    Unauthorized,

    /// <summary>A valid credential that may not read (403).</summary>
    Forbidden,
}

/// <summary>A demo credential of one API, as the mock accepts it.</summary>
internal sealed record Credential(string Scheme, AuthKind Kind, string Value, bool CanRead, string? Description)
{
    /// <summary>SHA-256 of the value: compared in constant time.</summary>
    public byte[] Hash { get; } = SHA256.HashData(Encoding.UTF8.GetBytes(Value));
}

/// <summary>
/// Checks requests against an API's auth schemes and demo credentials (from the contract's
/// <c>mock.credentials</c>, overridable), and issues access tokens for refresh-token exchanges.
/// Key-like schemes (apiKey, basic, bearer) accept any key-like credential of the API; a token of a
/// custom Authorization scheme (<c>kind: authorization</c>) is accepted only under that scheme's name
/// (compared case-insensitively, as HTTP auth schemes are) and that scheme accepts only its own tokens; a
/// refresh token is only accepted by the exchange, which also takes an API key when the contract
/// lists a key-like scheme in the exchange's <c>security</c>. Issued access tokens read but are not
/// exchanged.
/// </summary>
internal sealed class CredentialStore
{
    private readonly ContractSpec _contract;
    private const string IssuedPrefix = "mock-access-";
    private const int IssuedRandomBytes = 16;
    private static readonly int IssuedLength = IssuedPrefix.Length + (2 * IssuedRandomBytes);

    /// <summary>How every issued access token starts (for finding them in a body to redact).</summary>
    public const string IssuedTokenPrefix = IssuedPrefix;

    /// <summary>The length of every issued access token.</summary>
    public static int IssuedTokenLength => IssuedLength;
    private readonly ConcurrentDictionary<string, bool> _issued = new(StringComparer.Ordinal);

    public CredentialStore(ContractSpec contract, IReadOnlyList<Credential> credentials)
    {
        _contract = contract;
        Credentials = credentials;
    }

    /// <summary>The demo credentials.</summary>
    public IReadOnlyList<Credential> Credentials { get; }

    /// <summary>Forgets issued access tokens.</summary>
    public void ClearIssued() => _issued.Clear();

    /// <summary>Issues a fresh access token with the access of the refresh credential.</summary>
    public string Issue(bool canRead)
    {
        var token = IssuedPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IssuedRandomBytes));
        _issued[Key(SHA256.HashData(Encoding.UTF8.GetBytes(token)))] = canRead;
        return token;
    }

    /// <summary>
    /// The key under which <paramref name="value"/> would be held if it were an issued access token, or
    /// null when it does not have their shape (so most values are never hashed).
    /// </summary>
    public static string? IssuedKey(string value) =>
        value.Length == IssuedLength && value.StartsWith(IssuedPrefix, StringComparison.Ordinal)
            ? Key(SHA256.HashData(Encoding.UTF8.GetBytes(value)))
            : null;

    /// <summary>Whether an access token with this key (<see cref="IssuedKey"/>) was issued and not forgotten.</summary>
    /// <remarks>For redaction, not for auth: the lookup need not be constant-time.</remarks>
    public bool HasIssued(string key) => !_issued.IsEmpty && _issued.ContainsKey(key);

    /// <summary>Checks a request against the schemes an endpoint accepts. <paramref name="principal"/> identifies the credential without revealing it.</summary>
    public AuthOutcome Authenticate(EndpointSpec endpoint, HttpRequest request, out string? principal)
    {
        principal = null;
        if (endpoint.Security.Count == 0)
        {
            principal = "anonymous";
            return AuthOutcome.Ok;
        }

        var forbidden = false;
        foreach (var schemeName in endpoint.Security)
        {
            var scheme = _contract.FindScheme(schemeName);
            if (scheme is null || Presented(scheme, request) is not { } presented)
            {
                continue;
            }

            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
            bool? match = null;
            foreach (var credential in Credentials)
            {
                // A refresh token and a token of a custom Authorization scheme count only under their own
                // scheme; the other key-like credentials count under any key-like scheme.
                var accepted = scheme.Kind is AuthKind.RefreshToken or AuthKind.Authorization || credential.Kind == AuthKind.Authorization
                    ? credential.Scheme == scheme.Name
                    : credential.Kind != AuthKind.RefreshToken;
                if (accepted && CryptographicOperations.FixedTimeEquals(hash, credential.Hash))
                {
                    match = (match ?? false) || credential.CanRead;
                }
            }

            // An issued access token reads, but is not exchanged for another one (it would never expire).
            if (match is null && scheme.Kind == AuthKind.Bearer && endpoint.Response.Kind != ResponseKind.Token && _issued.TryGetValue(Key(hash), out var issuedRead))
            {
                match = issuedRead;
            }

            if (match is true)
            {
                principal = scheme.Name + ":" + Convert.ToHexStringLower(hash, 0, 6);
                return AuthOutcome.Ok;
            }

            forbidden |= match is false;
        }

        return forbidden ? AuthOutcome.Forbidden : AuthOutcome.Unauthorized;
    }

    private static string Key(byte[] hash) => Convert.ToHexString(hash);

    /// <summary>The credential the request presents for a scheme, or null.</summary>
    public static string? Presented(AuthSchemeSpec scheme, HttpRequest request)
    {
        switch (scheme.Kind)
        {
            case AuthKind.ApiKey:
                var key = scheme.Header is null ? null : request.Headers[scheme.Header].ToString();
                return string.IsNullOrEmpty(key) ? null : key;
            case AuthKind.Basic:
                var basic = Authorization(request, "Basic");
                if (basic is null)
                {
                    return null;
                }

                try
                {
                    var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basic));
                    var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                    return colon < 0 ? null : decoded[(colon + 1)..];
                }
                catch (FormatException)
                {
                    return null;
                }

            case AuthKind.Authorization:
                return scheme.AuthorizationScheme is { } name ? Authorization(request, name) : null;
            default:
                return Authorization(request, "Bearer");
        }
    }

    private static string? Authorization(HttpRequest request, string kind)
    {
        var value = request.Headers.Authorization.ToString();
        if (value.Length > kind.Length + 1 && value.StartsWith(kind + " ", StringComparison.OrdinalIgnoreCase))
        {
            var token = value[(kind.Length + 1)..].Trim();
            return token.Length == 0 ? null : token;
        }

        return null;
    }
}
