using System.ComponentModel;

namespace EventsBindings.Runtime.Infrastructure;

// The contract's facts as generated clients hand them to the runtime (auth schemes, error meanings, rate-limit
// headers). Plumbing between generated code and the runtime: in the Infrastructure namespace and hidden from
// IntelliSense; tools may still read a client's descriptor (its Api property).

/// <summary>How a credential is presented to an API (from the contract's <c>auth</c> schemes).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum AuthSchemeKind
{
    /// <summary>A header carries the key verbatim; <see cref="AuthSchemeDescriptor.HeaderName"/> names it.</summary>
    ApiKey,

    /// <summary>HTTP Basic where the key is the password and the user name is ignored (sent empty).</summary>
    Basic,

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    Bearer,

    /// <summary>A refresh token is exchanged (sent as bearer to <see cref="AuthSchemeDescriptor.ExchangePath"/>) for an access token that is then sent as bearer.</summary>
    RefreshToken,

    /// <summary><c>Authorization: &lt;scheme&gt; &lt;token&gt;</c> with the contract's own scheme name (<see cref="AuthSchemeDescriptor.AuthorizationScheme"/>); the credential is just the token.</summary>
    Authorization,
}

/// <summary>One auth scheme of an API, as declared by its contract.</summary>
/// <param name="Name">The scheme's name in the contract (what <see cref="EventsClientOptions.AuthScheme"/> selects).</param>
/// <param name="Kind">How the credential is presented.</param>
/// <param name="HeaderName">For <see cref="AuthSchemeKind.ApiKey"/>: the header that carries the key.</param>
/// <param name="ExchangePath">For <see cref="AuthSchemeKind.RefreshToken"/>: the path (appended to the base URL) that exchanges the refresh token, called with POST.</param>
/// <param name="TokenField">For <see cref="AuthSchemeKind.RefreshToken"/>: the JSON property of the exchange's answer that holds the access token.</param>
/// <param name="AuthorizationScheme">For <see cref="AuthSchemeKind.Authorization"/>: the scheme name written before the token.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record AuthSchemeDescriptor(string Name, AuthSchemeKind Kind, string? HeaderName = null, string? ExchangePath = null, string? TokenField = null, string? AuthorizationScheme = null);

/// <summary>What an HTTP status means for one API, as declared by its contract; carried into exceptions.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Meaning">The contract's meaning of that status.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record ErrorDescriptor(int Status, string Meaning);

/// <summary>What the reset header of an API's rate limit carries.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum RateLimitResetKind
{
    /// <summary>The UTC epoch second at which the window resets.</summary>
    EpochSeconds,

    /// <summary>The number of seconds until the window resets.</summary>
    DeltaSeconds,
}

/// <summary>
/// The rate-limit headers an API sends (from the contract's <c>rateLimit</c>). When a 429 or 503 carries no
/// Retry-After, the reset header is the retry hint, bounded like Retry-After.
/// </summary>
/// <param name="LimitHeader">The header carrying the requests allowed per window, or null.</param>
/// <param name="RemainingHeader">The header carrying the requests left in the window, or null.</param>
/// <param name="ResetHeader">The header carrying when the window resets.</param>
/// <param name="ResetKind">What <paramref name="ResetHeader"/> carries.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record RateLimitDescriptor(string? LimitHeader, string? RemainingHeader, string ResetHeader, RateLimitResetKind ResetKind);

/// <summary>Everything the runtime needs to know about one API. Built by generated code from the contract.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ApiDescriptor
{
    private readonly Dictionary<int, string> _meanings;

    /// <summary>Creates a descriptor.</summary>
    /// <param name="name">The API's name (used in logs, traces and metrics).</param>
    /// <param name="schemes">The auth schemes, in the order a client prefers them.</param>
    /// <param name="errors">The error meanings by status.</param>
    public ApiDescriptor(string name, IReadOnlyList<AuthSchemeDescriptor> schemes, IReadOnlyList<ErrorDescriptor> errors)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(schemes);
        ArgumentNullException.ThrowIfNull(errors);
        Name = name;
        Schemes = schemes;
        Errors = errors;
        _meanings = new Dictionary<int, string>();
        foreach (var e in errors)
        {
            _meanings[e.Status] = e.Meaning;
        }
    }

    /// <summary>The API's name.</summary>
    public string Name { get; }

    /// <summary>The auth schemes, in the order a client prefers them.</summary>
    public IReadOnlyList<AuthSchemeDescriptor> Schemes { get; }

    /// <summary>The error meanings declared by the contract.</summary>
    public IReadOnlyList<ErrorDescriptor> Errors { get; }

    /// <summary>The rate-limit headers the API sends, or null when the contract declares none.</summary>
    public RateLimitDescriptor? RateLimit { get; init; }

    /// <summary>The contract's meaning of a status, or null when it declares none.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <returns>The meaning, or null.</returns>
    public string? MeaningOf(int status) => _meanings.TryGetValue(status, out var m) ? m : null;

    /// <summary>Finds a scheme by name (ordinal, case-insensitive).</summary>
    /// <param name="name">The scheme name.</param>
    /// <returns>The scheme, or null.</returns>
    public AuthSchemeDescriptor? FindScheme(string name)
    {
        foreach (var s in Schemes)
        {
            if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return s;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
