using System.Globalization;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Tests.Support;
using Xunit;

namespace EventsBindings.Runtime.Tests;

/// <summary>
/// A contract's declared rate-limit headers (<see cref="RateLimitDescriptor"/>): when a 429 or 503 carries no
/// Retry-After, the reset header is the retry hint (an epoch second or a delay), bounded like Retry-After.
/// </summary>
public sealed class RateLimitHeaderTests
{
    private static readonly string TwoItems = TestApi.Json(TestApi.Items(1, 2));

    private static ApiDescriptor Descriptor(RateLimitResetKind kind) =>
        new(TestApi.Descriptor.Name, TestApi.Descriptor.Schemes, TestApi.Descriptor.Errors)
        {
            RateLimit = new RateLimitDescriptor("X-Test-Limit", "X-Test-Remaining", "X-Test-Reset", kind),
        };

    private static EventsPipeline Pipeline(LoopbackServer server, ApiDescriptor api, TimeProvider clock, TimeSpan? maxRetryAfter = null) =>
        new(new HttpClient(), server.BaseUri, new EventsKeyCredential("test-key"), api, TestApi.FastOptions(o =>
        {
            o.TimeProvider = clock;
            if (maxRetryAfter is { } max)
            {
                o.Retry.MaxRetryAfter = max;
            }
        }));

    [Fact]
    public async Task A_429_without_RetryAfter_waits_until_the_declared_epoch_reset()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Response.Headers["X-Test-Limit"] = "10";
                c.Response.Headers["X-Test-Remaining"] = "0";
                c.Response.Headers["X-Test-Reset"] = DateTimeOffset.UtcNow.AddSeconds(5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                await c.WriteJsonAsync("{}", 429);
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        var clock = new InstantDelays();

        var items = await Pipeline(server, Descriptor(RateLimitResetKind.EpochSeconds), clock).GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(2, server.Requests.Count);
        // Whole epoch seconds: the wait is between 4 and 5 seconds, never the 1 ms backoff.
        var wait = Assert.Single(clock.Delays, d => d > TimeSpan.FromSeconds(2));
        Assert.InRange(wait, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task A_503_without_RetryAfter_waits_the_declared_delta_seconds()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Response.Headers["X-Test-Reset"] = "7";
                await c.WriteJsonAsync("{}", 503);
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        var clock = new InstantDelays();

        await Pipeline(server, Descriptor(RateLimitResetKind.DeltaSeconds), clock).GetItemsAsync();

        Assert.Equal(2, server.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(7), clock.Delays);
    }

    [Fact]
    public async Task Retry_After_wins_over_the_reset_header()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Response.Headers.RetryAfter = "2";
                c.Response.Headers["X-Test-Reset"] = "9";
                await c.WriteJsonAsync("{}", 429);
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        var clock = new InstantDelays();

        await Pipeline(server, Descriptor(RateLimitResetKind.DeltaSeconds), clock).GetItemsAsync();

        Assert.Contains(TimeSpan.FromSeconds(2), clock.Delays);
        Assert.DoesNotContain(TimeSpan.FromSeconds(9), clock.Delays);
    }

    [Fact]
    public async Task A_reset_beyond_MaxRetryAfter_fails_at_once_with_that_hint()
    {
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            c.Response.Headers["X-Test-Reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            await c.WriteJsonAsync("{}", 429);
        });

        var ex = await Assert.ThrowsAsync<EventsThrottledException>(() => Pipeline(server, Descriptor(RateLimitResetKind.EpochSeconds), TimeProvider.System, TimeSpan.FromSeconds(30)).GetItemsAsync());

        Assert.Single(server.Requests);
        Assert.True(ex.RetryAfter > TimeSpan.FromMinutes(50), $"retry after {ex.RetryAfter}");
    }

    [Fact]
    public async Task Without_a_declared_rate_limit_the_reset_header_means_nothing()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Response.Headers["X-Test-Reset"] = "7";
                await c.WriteJsonAsync("{}", 429);
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        var clock = new InstantDelays();

        await Pipeline(server, TestApi.Descriptor, clock).GetItemsAsync();

        Assert.DoesNotContain(TimeSpan.FromSeconds(7), clock.Delays);
    }
}
