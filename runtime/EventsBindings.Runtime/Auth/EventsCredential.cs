namespace EventsBindings.Runtime;

/// <summary>
/// A secret that authenticates a client. The secret is read on every request (so it may rotate) and
/// never appears in exceptions, logs, traces or <see cref="object.ToString"/>.
/// </summary>
public abstract class EventsCredential
{
    private protected EventsCredential()
    {
    }

    /// <summary>Reads the current secret.</summary>
    internal abstract string ReadSecret();

    /// <summary>Whether this credential is a refresh token that must be exchanged for an access token.</summary>
    internal abstract bool IsRefreshToken { get; }

    /// <summary>Reads the secret and rejects an empty one without saying anything about it.</summary>
    internal string ReadValidSecret()
    {
        var secret = ReadSecret();
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException($"The {GetType().Name} returned an empty secret.");
        }

        return secret;
    }

    /// <inheritdoc />
    public sealed override string ToString() => GetType().Name + "(***)";
}

/// <summary>
/// An API key or access token, sent as the contract's scheme says: in a header, as the Basic password or
/// as a bearer token. (Named apart from <c>System.ClientModel.ApiKeyCredential</c>, which a project using
/// both would otherwise have to qualify.)
/// </summary>
public sealed class EventsKeyCredential : EventsCredential
{
    private readonly Func<string> _read;

    /// <summary>Creates a credential with a fixed key.</summary>
    /// <param name="key">The key.</param>
    public EventsKeyCredential(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _read = () => key;
    }

    /// <summary>Creates a credential whose key is read on every request (rotation).</summary>
    /// <param name="read">Returns the current key.</param>
    public EventsKeyCredential(Func<string> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        _read = read;
    }

    internal override bool IsRefreshToken => false;

    internal override string ReadSecret() => _read();
}

/// <summary>
/// A refresh token that the client exchanges for an access token (cached; exchanged again once when a
/// request answers 401, or when the refresh token changes).
/// </summary>
public sealed class RefreshTokenCredential : EventsCredential
{
    private readonly Func<string> _read;

    /// <summary>Creates a credential with a fixed refresh token.</summary>
    /// <param name="refreshToken">The refresh token.</param>
    public RefreshTokenCredential(string refreshToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        _read = () => refreshToken;
    }

    /// <summary>Creates a credential whose refresh token is read on every exchange (rotation).</summary>
    /// <param name="read">Returns the current refresh token.</param>
    public RefreshTokenCredential(Func<string> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        _read = read;
    }

    internal override bool IsRefreshToken => true;

    internal override string ReadSecret() => _read();
}
