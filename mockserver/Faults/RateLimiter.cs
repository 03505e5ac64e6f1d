namespace EventsBindings.MockServer.Faults;

/// <summary>A token bucket per credential: at most N requests per second, with bursts of N.</summary>
internal sealed class RateLimiter
{
    private readonly object _lock = new();
    private readonly Dictionary<string, (double Tokens, long Stamp)> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Start, long Used)> _windows = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public RateLimiter(TimeProvider time, double? perSecond)
    {
        _time = time;
        PerSecond = perSecond;
    }

    /// <summary>Requests per second per credential, or null for no limit.</summary>
    public double? PerSecond { get; set; }

    public void Reset()
    {
        lock (_lock)
        {
            _buckets.Clear();
            _windows.Clear();
        }
    }

    /// <summary>Takes a token for the principal; returns false with the seconds to wait when throttled.</summary>
    public bool TryAcquire(string principal, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (PerSecond is not { } rate || rate <= 0)
        {
            return true;
        }

        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var (tokens, stamp) = _buckets.TryGetValue(principal, out var b) ? b : (rate, now);
            tokens = Math.Min(rate, tokens + (_time.GetElapsedTime(stamp, now).TotalSeconds * rate));
            if (tokens >= 1)
            {
                _buckets[principal] = (tokens - 1, now);
                return true;
            }

            _buckets[principal] = (tokens, now);
            retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((1 - tokens) / rate));
            return false;
        }
    }

    /// <summary>
    /// Counts a request in the principal's fixed window (for APIs that declare their rate-limit headers): the
    /// window opens at the principal's first request and lasts <paramref name="window"/>; at most
    /// <paramref name="limit"/> requests pass in it. Returns false when the window is exhausted.
    /// </summary>
    public bool TryAcquireWindow(string principal, long limit, TimeSpan window, out WindowState state)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (!_windows.TryGetValue(principal, out var w) || now >= w.Start + window)
            {
                w = (now, 0);
            }

            var allowed = w.Used < limit;
            if (allowed)
            {
                w.Used++;
            }

            _windows[principal] = w;
            state = new WindowState(limit, Math.Max(0, limit - w.Used), w.Start + window, now);
            return allowed;
        }
    }
}

/// <summary>A principal's rate-limit window after a request: its limit, what remains, when it resets (and the time of the request).</summary>
internal readonly record struct WindowState(long Limit, long Remaining, DateTimeOffset ResetAt, DateTimeOffset Now);
