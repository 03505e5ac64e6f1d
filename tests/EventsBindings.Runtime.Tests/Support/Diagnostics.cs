using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EventsBindings.Runtime.Tests.Support;

/// <summary>Collects every log line (formatted message and structured values) at every level.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, EventId Id, string Text)> _lines = new();

    public IReadOnlyList<(string Category, LogLevel Level, EventId Id, string Text)> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                text += " | " + string.Join(", ", values.Select(v => v.Key + "=" + v.Value));
            }

            if (exception is not null)
            {
                text += " | " + exception;
            }

            owner._lines.Enqueue((category, logLevel, eventId, text));
        }
    }
}

/// <summary>
/// A clock whose short timers (retry and follow delays up to <see cref="InstantBelow"/>) fire at once and are
/// recorded; longer ones (timeouts) run on the system clock. Makes waits observable without sleeping.
/// </summary>
public sealed class InstantDelays : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    public TimeSpan InstantBelow { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<TimeSpan> Delays => _delays.ToArray();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime > TimeSpan.Zero && dueTime < InstantBelow && period == Timeout.InfiniteTimeSpan)
        {
            _delays.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new FiredTimer();
        }

        return System.CreateTimer(callback, state, dueTime, period);
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}

/// <summary>Records the runtime's activities when they stop (all of them, or those of one API).</summary>
public sealed class ActivityCapture : IDisposable
{
    private readonly List<System.Diagnostics.Activity> _stopped = new();
    private readonly System.Diagnostics.ActivityListener _listener;

    public ActivityCapture(string? api = null)
    {
        _listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == EventsBindings.Runtime.Diagnostics.EventsTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (api is null || Equals(a.GetTagItem("eventsbindings.api"), api))
                {
                    lock (_stopped)
                    {
                        _stopped.Add(a);
                    }
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<System.Diagnostics.Activity> Stopped
    {
        get
        {
            lock (_stopped)
            {
                return _stopped.ToArray();
            }
        }
    }

    public System.Diagnostics.Activity? Last => Stopped.LastOrDefault();

    public void Dispose() => _listener.Dispose();
}
