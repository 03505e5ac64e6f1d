using EventsBindings.Runtime.Diagnostics;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Json;

namespace EventsBindings.Runtime;

/// <summary>
/// A refresh token exchanged for an access token, which is cached and sent as bearer. The exchange runs
/// under a gate so that concurrent calls exchange once; a 401 on a cached token drops it (once per call).
/// </summary>
internal sealed class RefreshTokenAuthenticator(EventsCredential credential, AuthSchemeDescriptor scheme, TokenCache tokens, ExchangeSender exchange, PipelineTelemetry telemetry) : Authenticator
{
    public override async ValueTask<string?> AuthorizeAsync(CallInfo call, HttpRequestMessage message, CancellationToken token)
    {
        if (call.ExchangeSecret is { } refresh)
        {
            // This call is the exchange itself: the refresh token is its bearer.
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + refresh);
            return null;
        }

        var secret = credential.ReadValidSecret();
        call.Scrubber.Add(secret);
        string access;
        try
        {
            access = await GetAccessTokenAsync(secret, token).ConfigureAwait(false);
        }
        catch
        {
            call.ExchangeFailed = true;
            throw;
        }

        call.Scrubber.Add(access);
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + access);
        return access;
    }

    public override bool Rejected(string accessToken)
    {
        // The cached access token expired or was revoked: the next attempt exchanges the refresh token again.
        tokens.Invalidate(accessToken);
        return true;
    }

    private async ValueTask<string> GetAccessTokenAsync(string refreshToken, CancellationToken token)
    {
        if (tokens.TryGet(refreshToken) is { } cached)
        {
            return cached;
        }

        await tokens.Gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (tokens.TryGet(refreshToken) is { } again)
            {
                return again;
            }

            var request = new EventsRequest(HttpMethod.Post, "TokenExchange", scheme.ExchangePath!);
            request.AppendPath(scheme.ExchangePath!);
            var field = scheme.TokenField!;
            var access = await exchange(request, body => JsonPayload.ReadStringProperty(body, field), refreshToken, token).ConfigureAwait(false);
            if (string.IsNullOrEmpty(access))
            {
                throw new EventsResponseFormatException($"POST {scheme.ExchangePath} answered an empty access token.", 200, null, "POST", scheme.ExchangePath!, "$." + field, field, null);
            }

            tokens.Set(refreshToken, access);
            Log.TokenExchanged(telemetry.Logger, telemetry.ApiName);
            return access;
        }
        finally
        {
            tokens.Gate.Release();
        }
    }
}

/// <summary>The token caches of one options instance, one per base URL and auth scheme (an access token is only good where it was issued).</summary>
internal sealed class TokenCaches
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string BaseUrl, string Scheme), TokenCache> _caches = new();

    public TokenCache For(Uri baseUri, string scheme) =>
        _caches.GetOrAdd((baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/'), scheme), static _ => new TokenCache());
}

/// <summary>The cached access token, tied to the refresh token that produced it.</summary>
internal sealed class TokenCache
{
    private readonly object _lock = new();
    private string? _refresh;
    private string? _access;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public string? TryGet(string refresh)
    {
        lock (_lock)
        {
            return _access is not null && string.Equals(_refresh, refresh, StringComparison.Ordinal) ? _access : null;
        }
    }

    public void Set(string refresh, string access)
    {
        lock (_lock)
        {
            _refresh = refresh;
            _access = access;
        }
    }

    public void Invalidate(string access)
    {
        lock (_lock)
        {
            if (string.Equals(_access, access, StringComparison.Ordinal))
            {
                _access = null;
            }
        }
    }
}
