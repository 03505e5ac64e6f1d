using System.Globalization;
using EventsBindings.Runtime;
using EventsBindings.Tests.SysLog;
using Xunit;

namespace EventsBindings.Filtering.Tests;

/// <summary>
/// The declared rate-limit headers on a mock whose window is small: the mock answers 429 with the three headers and
/// no Retry-After once a credential's window is used up, and the generated client waits for the reset header.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task An_exhausted_window_is_a_429_with_the_headers_and_no_Retry_After()
    {
        await using var mock = await SysLogMock.StartAsync(o =>
        {
            o.RateLimitPerWindow = 2;
            o.RateLimitWindow = TimeSpan.FromMinutes(5);
        });

        var first = await mock.GetAsync("logs?limit=1");
        var second = await mock.GetAsync("logs?limit=1");
        var third = await mock.GetAsync("logs?limit=1");

        Assert.Equal((200, 200, 429), (first.Status, second.Status, third.Status));
        Assert.Equal("1", first.Response.Headers.GetValues("X-Rate-Limit-Remaining").Single());
        Assert.Equal("0", second.Response.Headers.GetValues("X-Rate-Limit-Remaining").Single());
        Assert.Equal("0", third.Response.Headers.GetValues("X-Rate-Limit-Remaining").Single());
        Assert.Equal("2", third.Response.Headers.GetValues("X-Rate-Limit-Limit").Single());
        Assert.Null(third.Response.Headers.RetryAfter);
        Assert.Equal("E0000047", third.Body.GetProperty("errorCode").GetString());
        var reset = long.Parse(third.Response.Headers.GetValues("X-Rate-Limit-Reset").Single(), CultureInfo.InvariantCulture);
        Assert.Equal(long.Parse(first.Response.Headers.GetValues("X-Rate-Limit-Reset").Single(), CultureInfo.InvariantCulture), reset);
    }

    [Fact]
    public async Task The_client_retries_a_429_when_the_reset_header_says_and_succeeds()
    {
        await using var mock = await SysLogMock.StartAsync(o =>
        {
            o.RateLimitPerWindow = 1;
            o.RateLimitWindow = TimeSpan.FromSeconds(1);
        });
        var client = mock.Client(o => o.Retry.MaxRetries = 4);

        var pages = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            var page = await client.GetLogsAsync(new LogsQuery { Limit = 3 }).AsPages().FirstAsync();
            pages.Add(page.Items.Count);
        }

        Assert.Equal(new[] { 3, 3 }, pages);
        var statuses = mock.Host.Requests().Where(r => r.Path.EndsWith("/logs", StringComparison.Ordinal)).Select(r => r.Status).ToList();
        Assert.Contains(429, statuses);
        Assert.Equal(200, statuses[^1]);
        Assert.Equal(2, statuses.Count(s => s == 200));
    }
}
