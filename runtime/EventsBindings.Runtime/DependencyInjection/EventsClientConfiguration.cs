using System.Globalization;
using EventsBindings.Runtime.Json;
using Microsoft.Extensions.Configuration;

namespace EventsBindings.Runtime;

/// <summary>
/// Reads client options and a credential from configuration (<c>services.Add&lt;Api&gt;Client(configuration.GetSection("Banyan"))</c>).
/// Bound by hand, key by key, rather than with the reflection-based configuration binder: clients stay
/// trimmable and native-AOT compatible, and a bad value fails naming its key, never echoing a secret.
/// </summary>
/// <remarks>
/// Keys (all optional except the credential): <c>Endpoint</c> (or <c>BaseUrl</c>), <c>ApiKey</c> or
/// <c>RefreshToken</c> (read again on every request or exchange, so a reloaded value takes effect),
/// <c>AuthScheme</c>, <c>UserAgent</c>, <c>AttemptTimeout</c>, <c>OverallTimeout</c> (TimeSpan, e.g.
/// <c>00:00:30</c>; empty for none), <c>MaxErrorBodyExcerpt</c>, <c>Strictness</c> (<c>Tolerant</c> or
/// <c>Strict</c>), <c>Retry:MaxRetries</c>, <c>Retry:BaseDelay</c>, <c>Retry:MaxDelay</c>,
/// <c>Retry:MaxRetryAfter</c>, <c>Retry:UseJitter</c>. The generated extension also binds <c>Server</c> (a
/// server name of the contract) and, for templated servers, <c>ServerVariables:&lt;name&gt;</c>.
/// </remarks>
public static class EventsClientConfiguration
{
    /// <summary>Binds the keys shared by every client (see the remarks of <see cref="EventsClientConfiguration"/>).</summary>
    /// <param name="configuration">The client's section.</param>
    /// <param name="options">The options to set; keys that are absent leave them unchanged.</param>
    /// <exception cref="InvalidOperationException">A value does not parse (the message names its key).</exception>
    public static void Bind(IConfiguration configuration, EventsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        if (configuration["AuthScheme"] is { Length: > 0 } scheme)
        {
            options.AuthScheme = scheme;
        }

        if (configuration["UserAgent"] is { Length: > 0 } userAgent)
        {
            options.UserAgent = userAgent;
        }

        if (configuration["AttemptTimeout"] is { } attempt)
        {
            options.AttemptTimeout = attempt.Length == 0 ? null : ParseTimeSpan(configuration, "AttemptTimeout", attempt);
        }

        if (configuration["OverallTimeout"] is { } overall)
        {
            options.OverallTimeout = overall.Length == 0 ? null : ParseTimeSpan(configuration, "OverallTimeout", overall);
        }

        if (configuration["MaxErrorBodyExcerpt"] is { Length: > 0 } excerpt)
        {
            options.MaxErrorBodyExcerpt = int.TryParse(excerpt, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(configuration, "MaxErrorBodyExcerpt", "an integer");
        }

        if (configuration["Strictness"] is { Length: > 0 } strictness)
        {
            options.Strictness = ReadEnum<JsonStrictness>(configuration, "Strictness");
        }

        var retry = configuration.GetSection("Retry");
        if (retry.GetChildren().Any())
        {
            options.Retry ??= new EventsRetryOptions();
            if (retry["MaxRetries"] is { Length: > 0 } max)
            {
                options.Retry.MaxRetries = int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(configuration, "Retry:MaxRetries", "an integer");
            }

            if (retry["BaseDelay"] is { Length: > 0 } baseDelay)
            {
                options.Retry.BaseDelay = ParseTimeSpan(configuration, "Retry:BaseDelay", baseDelay);
            }

            if (retry["MaxDelay"] is { Length: > 0 } maxDelay)
            {
                options.Retry.MaxDelay = ParseTimeSpan(configuration, "Retry:MaxDelay", maxDelay);
            }

            if (retry["MaxRetryAfter"] is { Length: > 0 } maxRetryAfter)
            {
                options.Retry.MaxRetryAfter = ParseTimeSpan(configuration, "Retry:MaxRetryAfter", maxRetryAfter);
            }

            if (retry["UseJitter"] is { Length: > 0 } jitter)
            {
                options.Retry.UseJitter = bool.TryParse(jitter, out var b) ? b : throw Invalid(configuration, "Retry:UseJitter", "true or false");
            }
        }
    }

    /// <summary>The base URL of <c>Endpoint</c> (or <c>BaseUrl</c>), or null when neither is set.</summary>
    /// <param name="configuration">The client's section.</param>
    /// <returns>The absolute URL, or null.</returns>
    /// <exception cref="InvalidOperationException">The value is not an absolute URL.</exception>
    public static Uri? ReadEndpoint(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var key = configuration["Endpoint"] is { Length: > 0 } ? "Endpoint" : "BaseUrl";
        if (configuration[key] is not { Length: > 0 } value)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : throw Invalid(configuration, key, "an absolute URL");
    }

    /// <summary>
    /// The credential of <c>ApiKey</c> or <c>RefreshToken</c> (exactly one of them), read from configuration
    /// again on every request, so that a reloaded secret is used without restarting.
    /// </summary>
    /// <param name="configuration">The client's section.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="InvalidOperationException">Neither or both keys are set (the message names the keys, never a value).</exception>
    public static EventsCredential ReadCredential(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var hasKey = !string.IsNullOrEmpty(configuration["ApiKey"]);
        var hasRefresh = !string.IsNullOrEmpty(configuration["RefreshToken"]);
        if (hasKey == hasRefresh)
        {
            throw new InvalidOperationException($"The configuration section '{PathOf(configuration)}' needs exactly one of ApiKey and RefreshToken; it has {(hasKey ? "both" : "neither")}.");
        }

        return hasKey
            ? new EventsKeyCredential(() => configuration["ApiKey"] ?? string.Empty)
            : new RefreshTokenCredential(() => configuration["RefreshToken"] ?? string.Empty);
    }

    /// <summary>Reads an enum value by name (case-insensitive); numbers and unknown names are rejected.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="configuration">The client's section.</param>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The value names no member (the message lists them).</exception>
    public static TEnum ReadEnum<TEnum>(IConfiguration configuration, string key)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(key);
        var value = configuration[key];
        if (value is { Length: > 0 } && !char.IsAsciiDigit(value[0]) && value[0] != '-' && Enum.TryParse<TEnum>(value, ignoreCase: true, out var result) && Enum.IsDefined(result))
        {
            return result;
        }

        throw Invalid(configuration, key, "one of " + string.Join(", ", Enum.GetNames<TEnum>()));
    }

    private static TimeSpan ParseTimeSpan(IConfiguration configuration, string key, string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) ? span : throw Invalid(configuration, key, "a TimeSpan such as 00:00:30");

    // The value is left out of the message: whatever the key, configuration may hold a secret by mistake.
    private static InvalidOperationException Invalid(IConfiguration configuration, string key, string expected) =>
        new($"The configuration value '{Join(PathOf(configuration), key)}' is not {expected}.");

    private static string PathOf(IConfiguration configuration) => configuration is IConfigurationSection section ? section.Path : string.Empty;

    private static string Join(string path, string key) => path.Length == 0 ? key : path + ":" + key;
}
