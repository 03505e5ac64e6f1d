namespace EventsBindings.MockServer.Xunit;

/// <summary>
/// A clock that stands still until told to move, so that "now" is the same for the server and the
/// tests: relative windows and appended items do not drift during a test. Set it as
/// <see cref="Hosting.MockServerOptions.TimeProvider"/>.
/// </summary>
public sealed class FixedTimeProvider : TimeProvider
{
    private long _ticks;

    /// <summary>A clock that reads <paramref name="now"/> (converted to UTC).</summary>
    public FixedTimeProvider(DateTimeOffset now) => _ticks = now.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves the clock forward (or back, with a negative span).</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
