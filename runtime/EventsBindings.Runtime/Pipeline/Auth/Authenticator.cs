using System.Text;
using EventsBindings.Runtime.Infrastructure;

namespace EventsBindings.Runtime;

/// <summary>
/// Puts the credential on each attempt, as one auth scheme kind of the contract says. One subclass per kind,
/// so that adding a kind is one new file and the orchestrator never switches on kinds. Every secret an
/// authenticator writes is registered with the call's scrubber first, so that no message, log or trace of the
/// call can carry it.
/// </summary>
internal abstract class Authenticator
{
    /// <summary>The authenticator of a scheme (already checked by <see cref="AuthSchemeSelection"/>).</summary>
    public static Authenticator For(AuthSchemeDescriptor scheme, EventsCredential credential, Func<TokenCache> tokens, ExchangeSender exchange, PipelineTelemetry telemetry) => scheme.Kind switch
    {
        AuthSchemeKind.ApiKey => new ApiKeyHeaderAuthenticator(credential, scheme.HeaderName!),
        AuthSchemeKind.Basic => new BasicAuthenticator(credential),
        AuthSchemeKind.Bearer => new AuthorizationHeaderAuthenticator(credential, "Bearer"),
        AuthSchemeKind.Authorization => new AuthorizationHeaderAuthenticator(credential, scheme.AuthorizationScheme!),
        _ => new RefreshTokenAuthenticator(credential, scheme, tokens(), exchange, telemetry),
    };

    /// <summary>Authenticates one attempt; returns the cached access token it used, if any (for <see cref="Rejected"/>).</summary>
    public abstract ValueTask<string?> AuthorizeAsync(CallInfo call, HttpRequestMessage message, CancellationToken token);

    /// <summary>
    /// Told that an attempt authenticated with a cached access token answered 401. Returns whether a fresh
    /// attempt may help (the cache was dropped); only token-exchanging schemes say yes.
    /// </summary>
    public virtual bool Rejected(string accessToken) => false;
}

/// <summary>The secret in a header the contract names (<c>apiKey</c> schemes).</summary>
internal sealed class ApiKeyHeaderAuthenticator(EventsCredential credential, string header) : Authenticator
{
    public override ValueTask<string?> AuthorizeAsync(CallInfo call, HttpRequestMessage message, CancellationToken token)
    {
        var secret = credential.ReadValidSecret();
        call.Scrubber.Add(secret);
        message.Headers.TryAddWithoutValidation(header, secret);
        return default;
    }
}

/// <summary>The secret as the Basic password with an empty user name.</summary>
internal sealed class BasicAuthenticator(EventsCredential credential) : Authenticator
{
    public override ValueTask<string?> AuthorizeAsync(CallInfo call, HttpRequestMessage message, CancellationToken token)
    {
        var secret = credential.ReadValidSecret();
        call.Scrubber.Add(secret);

        // The encoded form is a secret as well: a server echoing the header must not reveal it.
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + secret));
        call.Scrubber.Add(basic);
        message.Headers.TryAddWithoutValidation("Authorization", "Basic " + basic);
        return default;
    }
}

/// <summary>The secret after an Authorization scheme name: <c>Bearer</c>, or the contract's own (an HTTP token).</summary>
internal sealed class AuthorizationHeaderAuthenticator(EventsCredential credential, string scheme) : Authenticator
{
    public override ValueTask<string?> AuthorizeAsync(CallInfo call, HttpRequestMessage message, CancellationToken token)
    {
        var secret = credential.ReadValidSecret();
        call.Scrubber.Add(secret);
        message.Headers.TryAddWithoutValidation("Authorization", scheme + " " + secret);
        return default;
    }
}

/// <summary>Sends the token exchange through the pipeline (so that it has the pipeline's narrower retries and telemetry).</summary>
internal delegate Task<string> ExchangeSender(EventsRequest request, ResponseParser<string> parse, string refreshToken, CancellationToken cancellationToken);
