using EventsBindings.MockServer.Hosting;
using EventsBindings.MockServer.Xunit;

namespace EventsBindings.Testing;

/// <summary>
/// The shipped <see cref="MockServerFixture"/> with the settings of this repository's tests: a clock
/// that stands still at <see cref="Now"/>, 300 items per API, seed 7. Declare an
/// <c>ICollectionFixture</c> of it (or of a class derived from it) in the test assembly.
/// </summary>
public class TestMockServerFixture : MockServerFixture
{
    /// <summary>The server's "now" (relative windows, appended items).</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public TestMockServerFixture()
        : base(new MockServerOptions { Port = 0, Events = 300, Seed = 7 })
    {
        Options.TimeProvider = Clock;
    }

    /// <summary>The server's clock.</summary>
    public FixedTimeProvider Clock { get; } = new(Now);
}
