using EventsBindings.MockServer.Auth;
using Microsoft.AspNetCore.Http;

namespace EventsBindings.MockServer.Hosting;

// What the journal keeps of a request: credentials in the query and headers replaced by ***.
internal sealed partial class MockServerApp
{
    /// <summary>
    /// The journal's secrets for the APIs mounted now: rebuilt only when the registry publishes a new set
    /// of APIs (a contract reload), not per request.
    /// </summary>
    internal JournalSecrets CurrentSecrets()
    {
        var apis = Registry.Apis;
        var secrets = _secrets;
        if (secrets is null || !ReferenceEquals(secrets.Apis, apis))
        {
            secrets = JournalSecrets.For(apis);
            _secrets = secrets;
        }

        return secrets;
    }

    /// <summary>
    /// The raw query string with the value of every parameter that carries a credential replaced by <c>***</c>: a
    /// parameter named as a secret, or one whose value (unescaped) is or holds a known credential, alone or inside a
    /// list (<c>a,key</c>, <c>a%3Bkey</c>). A name that holds a credential loses its value too. The rest is kept as sent.
    /// </summary>
    internal static string RedactQuery(string query, JournalSecrets secrets)
    {
        if (query.Length <= 1)
        {
            return query;
        }

        var pairs = query.TrimStart('?').Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            var pair = pairs[i];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Unescape(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Unescape(pair[(equals + 1)..]);
            if (secrets.Carries(name))
            {
                pairs[i] = equals < 0 ? "***" : "***=***";
            }
            else if (equals >= 0 && (secrets.IsSecretName(name) || secrets.Carries(value)))
            {
                pairs[i] = pair[..equals] + "=***";
            }
        }

        return "?" + string.Join('&', pairs);
    }

    /// <summary>A query name or value as the server reads it (<c>+</c> is a space; a malformed escape stays as sent).</summary>
    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static Dictionary<string, string> Redact(IHeaderDictionary headers, JournalSecrets secrets)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            result[name] = RedactHeader(name, value.ToString(), secrets);
        }

        return result;
    }

    /// <summary>One header's value as the journal keeps it: Authorization keeps its scheme only; a credential-carrying header becomes <c>***</c>.</summary>
    internal static string RedactHeader(string name, string text, JournalSecrets secrets)
    {
        if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            return space > 0 ? text[..space] + " ***" : "***";
        }

        return secrets.IsSecretName(name) || secrets.Carries(text) ? "***" : text;
    }
}
