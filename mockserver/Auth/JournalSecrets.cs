using EventsBindings.MockServer.Engine;

namespace EventsBindings.MockServer.Auth;

/// <summary>
/// What the request journal redacts for one set of mounted APIs, built once per registry load: the
/// names that carry credentials and the demo credentials of every API; issued access tokens are asked
/// of the APIs' credential stores. Recognition is for redaction, not for authentication, so it need not
/// be constant-time: a set lookup per value, and one SHA-256 only for a value shaped as an issued token.
/// </summary>
internal sealed class JournalSecrets
{
    private readonly HashSet<string> _names;
    private readonly HashSet<string> _demo;
    private readonly CredentialStore[] _stores;

    private JournalSecrets(IReadOnlyList<ApiRuntime> apis)
    {
        Apis = apis;
        _names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Cookie", "Proxy-Authorization" };
        _demo = new HashSet<string>(StringComparer.Ordinal);
        _stores = apis.Select(a => a.Credentials).ToArray();
        foreach (var api in apis)
        {
            foreach (var scheme in api.Contract.AuthSchemes)
            {
                if (scheme.Header is { } header)
                {
                    _names.Add(header);
                }
            }

            foreach (var credential in api.Credentials.Credentials)
            {
                _demo.Add(credential.Value);
            }
        }
    }

    /// <summary>The mounted APIs these secrets were read from.</summary>
    public IReadOnlyList<ApiRuntime> Apis { get; }

    /// <summary>The secrets of <paramref name="apis"/>.</summary>
    public static JournalSecrets For(IReadOnlyList<ApiRuntime> apis) => new(apis);

    /// <summary>
    /// Whether a header or query parameter of this name carries a credential: the header of an API-key
    /// scheme (also sent as a query parameter of the same name, as <c>queryOrHeader</c> parameters are),
    /// cookies and proxy credentials. <c>Authorization</c> is redacted apart, keeping its scheme.
    /// </summary>
    public bool IsSecretName(string name) => _names.Contains(name);

    /// <summary>Whether <paramref name="value"/> is a credential of any mounted API (demo or issued), wherever it is sent.</summary>
    public bool IsCredential(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        if (_demo.Contains(value))
        {
            return true;
        }

        if (CredentialStore.IssuedKey(value) is not { } key)
        {
            return false;
        }

        foreach (var store in _stores)
        {
            if (store.HasIssued(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="value"/> is, or holds, a credential of any mounted API: a credential alone, or inside a
    /// list or any text (<c>key,other</c>, <c>a;key</c>, <c>x key</c>). The journal redacts such a value whole.
    /// </summary>
    public bool Carries(string value) =>
        value.Length > 0 && (IsCredential(value) || !string.Equals(RedactIn(value), value, StringComparison.Ordinal));

    /// <summary>
    /// <paramref name="text"/> (a body) with every demo credential and every issued access token in it replaced by <c>***</c>.
    /// </summary>
    public string RedactIn(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        foreach (var demo in _demo)
        {
            if (demo.Length > 0 && text.Contains(demo, StringComparison.Ordinal))
            {
                text = text.Replace(demo, "***", StringComparison.Ordinal);
            }
        }

        var at = text.IndexOf(CredentialStore.IssuedTokenPrefix, StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = at + CredentialStore.IssuedTokenLength;
            if (end <= text.Length && IsCredential(text[at..end]))
            {
                text = text[..at] + "***" + text[end..];
            }

            at = text.IndexOf(CredentialStore.IssuedTokenPrefix, at + 1, StringComparison.Ordinal);
        }

        return text;
    }
}
