namespace EventsBindings.ContractTests;

/// <summary>
/// Real time, but timers fire a thousand times sooner: retry delays (Retry-After, back-off) pass in
/// milliseconds. Use with the client's timeouts off, since they would shrink too.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private static TimeSpan Scale(TimeSpan t) => t == Timeout.InfiniteTimeSpan || t <= TimeSpan.Zero ? t : TimeSpan.FromTicks(Math.Max(1, t.Ticks / 1000));
}
