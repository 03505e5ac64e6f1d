using EventsBindings.Runtime.Json;
using Microsoft.Extensions.Logging;

namespace EventsBindings.Runtime;

/// <summary>Options shared by every generated client: retries, timeouts, logging, auth scheme, clock.</summary>
public class EventsClientOptions
{
    /// <summary>Retry policy of idempotent requests (GET).</summary>
    public EventsRetryOptions Retry { get; set; } = new();

    /// <summary>Timeout of one attempt (sending, receiving and parsing the body); null for none. Default 30 seconds.</summary>
    public TimeSpan? AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of one call including all its retries and waits; null for none. Default 3 minutes.</summary>
    public TimeSpan? OverallTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Where logs go; null for none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The contract's auth scheme to use; null picks the first the credential fits, in the contract's order.</summary>
    public string? AuthScheme { get; set; }

    /// <summary>The clock (retry delays, timeouts, Retry-After dates). Tests may replace it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A User-Agent product to send; null sends the runtime's own.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The longest excerpt of an error body kept in exceptions, in characters. Default 512.</summary>
    public int MaxErrorBodyExcerpt { get; set; } = 512;

    /// <summary>
    /// How responses that depart from the contract are read. <see cref="JsonStrictness.Tolerant"/> (the default):
    /// a value that does not fit never fails the event or the page; it is reported as drift
    /// (<c>EventsPage.Drift</c>, one log warning per JSON path, the <c>eventsbindings.client.drift</c> counter) and
    /// an item that cannot be read at all goes to <see cref="OnRejectedItem"/>. <see cref="JsonStrictness.Strict"/>:
    /// any such value fails the call with an <see cref="EventsResponseFormatException"/> naming the path and field
    /// (what contract checks want).
    /// </summary>
    public JsonStrictness Strictness { get; set; } = JsonStrictness.Tolerant;

    /// <summary>
    /// The dead-letter hook: told of every list item that could not be read at all (not an object, say), with its
    /// raw bytes and position, when reading tolerantly. The page goes on without it. Null: the item is only logged
    /// and listed in <c>EventsPage.Rejected</c>.
    /// </summary>
    public Action<JsonRejectedItem>? OnRejectedItem { get; set; }

    private readonly List<(EventsPipelinePolicy Policy, EventsPipelinePosition Position)> _policies = new();

    /// <summary>
    /// Adds a policy of the user's to the pipeline of clients built with these options: once per call
    /// (<see cref="EventsPipelinePosition.PerCall"/>, outside the retries) or once per attempt
    /// (<see cref="EventsPipelinePosition.PerRetry"/>, around each HTTP send, after authentication). Policies of
    /// one position run in the order added. A client reads the policies when it is built; adding one later
    /// does not change it.
    /// </summary>
    /// <param name="policy">The policy.</param>
    /// <param name="position">Where it runs.</param>
    /// <exception cref="ArgumentOutOfRangeException">The position is not one of <see cref="EventsPipelinePosition"/>.</exception>
    public void AddPolicy(EventsPipelinePolicy policy, EventsPipelinePosition position)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (position is not (EventsPipelinePosition.PerCall or EventsPipelinePosition.PerRetry))
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "A policy runs per call or per retry.");
        }

        _policies.Add((policy, position));
    }

    /// <summary>
    /// The access tokens of refresh-token exchanges, shared by every client built with this options instance
    /// (one per base URL and scheme): clients of one DI registration, which share their options, exchange a
    /// refresh token once between them instead of once each.
    /// </summary>
    internal TokenCaches Tokens { get; } = new();

    /// <summary>The user policies of a position, in the order added (a copy).</summary>
    internal EventsPipelinePolicy[] PoliciesAt(EventsPipelinePosition position) =>
        _policies.Where(p => p.Position == position).Select(p => p.Policy).ToArray();
}

/// <summary>Retry policy: exponential backoff with jitter, Retry-After honoured up to a bound.</summary>
public sealed class EventsRetryOptions
{
    /// <summary>Retries after the first attempt (0 disables retrying). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay; each retry doubles it. Default 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay. Default 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest Retry-After the client waits. A server asking for more is not retried: the call fails with
    /// <see cref="EventsThrottledException"/> carrying the Retry-After, so that the caller decides. Default 60 seconds.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Randomizes backoff delays (between half and all of the exponential delay). Default true.</summary>
    public bool UseJitter { get; set; } = true;
}
