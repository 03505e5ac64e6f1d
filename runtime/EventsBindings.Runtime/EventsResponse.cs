using System.Globalization;
using System.Net.Http.Headers;
using EventsBindings.Runtime.Infrastructure;

namespace EventsBindings.Runtime;

/// <summary>
/// The raw HTTP response a result came from (as Azure.Core's <c>Response</c>): its status and headers, and the
/// rate limit the contract declares, read from them. Kept by every page (<see cref="Paging.EventsPage{T}.GetRawResponse"/>)
/// and every single result (<see cref="EventsResponse{T}.GetRawResponse"/>); the body is not kept (it was read into the
/// result).
/// </summary>
public sealed class EventsResponse
{
    private static readonly EventsResponse Synthetic = new(200, new Dictionary<string, string[]>(), null);
    private readonly Dictionary<string, string[]> _headers;

    private EventsResponse(int status, Dictionary<string, string[]> headers, EventsRateLimit? rateLimit)
    {
        Status = status;
        _headers = headers;
        RateLimit = rateLimit;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The response's headers (content headers included), by case-insensitive name.</summary>
    public IReadOnlyDictionary<string, string[]> Headers => _headers;

    /// <summary>
    /// The rate limit the response reports in the headers its contract declares (<c>rateLimit</c>); null when
    /// the contract declares none or the response carries none of them.
    /// </summary>
    public EventsRateLimit? RateLimit { get; }

    /// <summary>A header's value (several values joined by <c>", "</c>).</summary>
    /// <param name="name">The header's name, in any case.</param>
    /// <param name="value">The value, or null when the response has no such header.</param>
    /// <returns>Whether the response has the header.</returns>
    public bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_headers.TryGetValue(name, out var values))
        {
            value = values.Length == 1 ? values[0] : string.Join(", ", values);
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>A result with a response of its own, for tests and mocks of generated clients (as Azure.Core's <c>Response.FromValue</c>).</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="value">The result.</param>
    /// <param name="rawResponse">The raw response; null for a plain 200 without headers.</param>
    /// <returns>The result.</returns>
    public static EventsResponse<T> FromValue<T>(T value, EventsResponse? rawResponse = null) => new(value, rawResponse ?? Synthetic);

    /// <summary>A raw response, for tests and mocks of generated clients.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The headers; null for none.</param>
    /// <param name="rateLimit">The rate limit it reports; null for none.</param>
    /// <returns>The response.</returns>
    public static EventsResponse Create(int status, IEnumerable<KeyValuePair<string, string[]>>? headers = null, EventsRateLimit? rateLimit = null)
    {
        var copy = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers ?? [])
        {
            copy[name] = values;
        }

        return new EventsResponse(status, copy, rateLimit);
    }

    /// <summary>The status and headers of a received response; the rate limit read as <paramref name="limit"/> declares it.</summary>
    internal static EventsResponse Capture(HttpResponseMessage response, RateLimitDescriptor? limit, TimeProvider time)
    {
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        Copy(response.Headers, headers);
        Copy(response.Content.Headers, headers);
        return new EventsResponse((int)response.StatusCode, headers, limit is null ? null : EventsRateLimit.Read(headers, limit, time));
    }

    private static void Copy(HttpHeaders from, Dictionary<string, string[]> to)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            var array = new string[values.Count];
            var i = 0;
            foreach (var value in values)
            {
                array[i++] = value;
            }

            to[name] = array;
        }
    }
}

/// <summary>A result and the raw response it came from (as Azure.Core's <c>Response&lt;T&gt;</c>); converts implicitly to the result.</summary>
/// <typeparam name="T">The result's type.</typeparam>
public sealed class EventsResponse<T>
{
    private readonly EventsResponse _raw;

    internal EventsResponse(T value, EventsResponse raw)
    {
        Value = value;
        _raw = raw;
    }

    /// <summary>The result.</summary>
    public T Value { get; }

    /// <summary>The result.</summary>
    /// <param name="response">The response.</param>
    public static implicit operator T(EventsResponse<T> response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Value;
    }

    /// <summary>The raw response: status, headers, rate limit.</summary>
    /// <returns>The raw response.</returns>
    public EventsResponse GetRawResponse() => _raw;

    /// <inheritdoc/>
    public override string ToString() => $"{_raw.Status}: {Value}";
}

/// <summary>The rate limit a response reports in the headers its contract declares.</summary>
/// <param name="Limit">Requests allowed per window, or null when not reported.</param>
/// <param name="Remaining">Requests left in the window, or null when not reported.</param>
/// <param name="ResetsAt">When the window resets, or null when not reported.</param>
public sealed record EventsRateLimit(long? Limit, long? Remaining, DateTimeOffset? ResetsAt)
{
    internal static EventsRateLimit? Read(Dictionary<string, string[]> headers, RateLimitDescriptor limit, TimeProvider time)
    {
        var reported = Number(headers, limit.LimitHeader);
        var remaining = Number(headers, limit.RemainingHeader);
        DateTimeOffset? resetsAt = Number(headers, limit.ResetHeader) switch
        {
            { } epoch when limit.ResetKind == RateLimitResetKind.EpochSeconds && epoch is >= 0 and <= 253402300799 => DateTimeOffset.FromUnixTimeSeconds(epoch),
            { } delta when limit.ResetKind == RateLimitResetKind.DeltaSeconds && delta is >= 0 and <= 315360000 => time.GetUtcNow().AddSeconds(delta),
            _ => null,
        };
        return reported is null && remaining is null && resetsAt is null ? null : new EventsRateLimit(reported, remaining, resetsAt);
    }

    private static long? Number(Dictionary<string, string[]> headers, string? name) =>
        name is not null && headers.TryGetValue(name, out var values) && values.Length > 0
        && long.TryParse(values[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
