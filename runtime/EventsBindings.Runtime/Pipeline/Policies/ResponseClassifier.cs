using System.Globalization;
using System.Net.Http.Headers;
using EventsBindings.Runtime.Infrastructure;
using Polly.Timeout;

namespace EventsBindings.Runtime;

/// <summary>
/// Decides what a failure means for the retry loop: which statuses and errors are transient, and how long the
/// server asked to wait (Retry-After, or the contract's rate-limit reset header). Kept apart from the retry
/// strategy so that the status-to-action table is one small piece to read and to change.
/// </summary>
internal sealed class ResponseClassifier(TimeProvider time, TimeSpan maxRetryAfter, RateLimitDescriptor? rateLimit)
{
    /// <summary>Whether a failed attempt may be repeated.</summary>
    /// <param name="ex">The attempt's failure.</param>
    /// <param name="idempotent">
    /// Whether the request may be sent twice. Other requests are retried only when nothing was sent: then
    /// nothing can have happened twice.
    /// </param>
    public bool IsRetryable(Exception ex, bool idempotent)
    {
        if (!idempotent)
        {
            return NothingWasSent(ex);
        }

        return ex switch
        {
            // A server asking for a longer wait than the bound is not retried: the caller decides.
            EventsThrottledException t => t.RetryAfter is not { } ra || ra <= maxRetryAfter,
            EventsResponseFormatException => false,
            EventsRequestException e => e.Status is 408 or 429 or >= 500 && (e.RetryAfterHint is not { } hint || hint <= maxRetryAfter),
            TimeoutRejectedException => true,
            HttpRequestException => true,
            IOException => true,
            OperationCanceledException => true, // HttpClient.Timeout: the caller's token is not cancelled
            _ => false,
        };
    }

    /// <summary>Whether the request failed before any of it reached the server (no connection, no name).</summary>
    public static bool NothingWasSent(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>
    /// How long the response asks the client to wait: its Retry-After, else (on 429 and 503) the reset header
    /// the contract declares for its rate limit; null when it says nothing.
    /// </summary>
    public TimeSpan? RetryHintOf(HttpResponseMessage response)
    {
        var retryAfter = RetryAfterOf(response.Headers.RetryAfter);
        if (retryAfter is null && (int)response.StatusCode is 429 or 503 && rateLimit is { } limit)
        {
            retryAfter = RateLimitResetOf(response.Headers, limit);
        }

        return retryAfter;
    }

    /// <summary>The metric and log reason of a failure: its status, or what kind of failure it was.</summary>
    public static string Reason(Exception? ex) => ex switch
    {
        EventsRequestException e when e.Status > 0 => e.Status.ToString(CultureInfo.InvariantCulture),
        TimeoutRejectedException => "attempt timeout",
        OperationCanceledException => "timeout",
        null => "unknown",
        _ => ex.GetType().Name,
    };

    /// <summary>
    /// The wait until the API's declared rate-limit window resets (its reset header: an epoch second, or seconds
    /// from now), or null when the header is absent or not a number.
    /// </summary>
    private TimeSpan? RateLimitResetOf(HttpResponseHeaders headers, RateLimitDescriptor limit)
    {
        if (!headers.TryGetValues(limit.ResetHeader, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || double.IsNaN(number) || double.IsInfinity(number))
            {
                continue;
            }

            // Far beyond any bound: reported as such, so that the bound rejects it.
            const double MaxSeconds = 10 * 365 * 86400.0;
            var seconds = limit.ResetKind == RateLimitResetKind.EpochSeconds
                ? number - (time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds
                : number;
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxSeconds));
        }

        return null;
    }

    private TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
