using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using Xunit;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;
using Okta = EventsBindings.Okta;

namespace EventsBindings.ContractTests;

/// <summary>
/// The generated clients' SDK surface against the mock (issue 15): one list method returning a pageable
/// (<c>await foreach</c> items, <c>AsPages(continuationToken, pageSizeHint)</c>), and the raw response (status,
/// headers, the contract's rate-limit headers) of every page and every single get.
/// </summary>
public sealed class ClientSurfaceTests : IAsyncLifetime
{
    private readonly MockServerHost _mock = new(new MockServerOptions { Port = 0, Events = 120, Seed = 15, HotReload = false });

    public Task InitializeAsync() => _mock.StartAsync();

    public async Task DisposeAsync() => await _mock.DisposeAsync();

    [Fact]
    public async Task Items_and_pages_of_one_pageable_agree_and_a_token_resumes_after_its_page()
    {
        var client = new Abr.AdminByRequestClient(_mock.ApiBaseAddress("AdminByRequest"), new EventsKeyCredential("abr-demo-key"));
        var events = client.GetEventsAsync(new Abr.EventsQuery { Take = 25 });

        var items = await events.Select(e => e.Id).ToListAsync();
        var pages = await events.AsPages().ToListAsync();

        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages.SkipLast(1), p => Assert.Equal(25, p.Items.Count));
        Assert.Equal(items, pages.SelectMany(p => p.Items).Select(e => e.Id));
        Assert.Equal(items.Distinct().Count(), items.Count);

        var resumed = await events.AsPages(pages[0].ContinuationToken).ToListAsync();
        Assert.Equal(items.Skip(25), resumed.SelectMany(p => p.Items).Select(e => e.Id));
    }

    [Fact]
    public async Task A_page_size_hint_replaces_the_querys_page_size_bounded_by_the_contracts_maximum()
    {
        var client = new Abr.AdminByRequestClient(_mock.ApiBaseAddress("AdminByRequest"), new EventsKeyCredential("abr-demo-key"));
        var events = client.GetEventsAsync(new Abr.EventsQuery { Take = 25 });

        var hinted = await events.AsPages(pageSizeHint: 7).FirstAsync();
        Assert.Equal(7, hinted.Items.Count);

        // Above the contract's maximum (take ≤ 10000) the hint is bounded, never a 400 from the server.
        var all = await events.AsPages(pageSizeHint: int.MaxValue).ToListAsync();
        Assert.Single(all);
        Assert.Equal(await events.CountAsync(), all[0].Items.Count);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await events.AsPages(pageSizeHint: 0).FirstAsync());
    }

    [Fact]
    public async Task Next_link_pages_carry_their_raw_response_with_the_link_and_the_declared_rate_limit()
    {
        var client = new Okta.OktaClient(_mock.ApiBaseAddress("Okta"), new EventsKeyCredential("okta-demo-api-token"));
        var pages = await client.GetLogsAsync(new Okta.LogsQuery { Since = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) }).AsPages(pageSizeHint: 10).ToListAsync();

        Assert.True(pages.Count > 2, $"{pages.Count} pages");
        Assert.All(pages.SkipLast(1), p => Assert.Equal(10, p.Items.Count));
        foreach (var page in pages)
        {
            var response = page.GetRawResponse();
            Assert.NotNull(response);
            Assert.Equal(200, response.Status);
            Assert.True(response.TryGetHeader("link", out var link), "no Link header");
            Assert.Contains("rel=\"self\"", link, StringComparison.Ordinal);
            if (page.ContinuationToken is not null)
            {
                Assert.Contains("rel=\"next\"", link, StringComparison.Ordinal);
            }

            Assert.True(response.TryGetHeader("Content-Type", out var type) && type.StartsWith("application/json", StringComparison.Ordinal), "content headers are kept too");

            var limit = response.RateLimit;
            Assert.NotNull(limit);
            Assert.True(limit.Limit > 0, $"limit {limit.Limit}");
            Assert.InRange(limit.Remaining!.Value, 0, limit.Limit!.Value);
            Assert.NotNull(limit.ResetsAt);
            Assert.Equal(long.Parse(response.Headers["X-Rate-Limit-Reset"][0], System.Globalization.CultureInfo.InvariantCulture), limit.ResetsAt.Value.ToUnixTimeSeconds());
        }
    }

    [Fact]
    public async Task Single_gets_return_the_value_with_its_raw_response()
    {
        var banyan = new Banyan.BanyanClient(_mock.ApiBaseAddress("Banyan"), new EventsKeyCredential("banyan-demo-token"));
        var count = await banyan.GetEventCountAsync();
        long converted = count;
        Assert.Equal(count.Value, converted);
        Assert.Equal(await banyan.GetEventsAsync(new Banyan.EventsQuery { Limit = 1000 }).CountAsync(), count.Value);
        Assert.Equal(200, count.GetRawResponse().Status);
        Assert.Null(count.GetRawResponse().RateLimit); // Banyan's contract declares no rate-limit headers

        var abr = new Abr.AdminByRequestClient(_mock.ApiBaseAddress("AdminByRequest"), new EventsKeyCredential("abr-demo-key"));
        var first = await abr.GetEventsAsync(new Abr.EventsQuery { Take = 1 }).AsPages().FirstAsync();
        var one = await abr.GetEventAsync(first.Items[0].Id);
        Assert.Equal(first.Items[0].Id, one.Value.Id);
        Assert.Equal(200, one.GetRawResponse().Status);
        Assert.False(one.GetRawResponse().TryGetHeader("X-Not-Sent", out _));
    }
}
