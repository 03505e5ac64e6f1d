using System.Globalization;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Paging;
using EventsBindings.Runtime.Tests.Support;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace EventsBindings.Runtime.Tests;

public sealed class PagingTests
{
    private static readonly IReadOnlyList<Item> Dataset = TestApi.Items(1, 25);

    /// <summary>A server with cursor (?start=&amp;size=) and offset (?skip=&amp;limit=) paging over 25 items.</summary>
    private static Task<LoopbackServer> StartServerAsync(Func<HttpContext, int, bool>? fail = null) =>
        LoopbackServer.StartAsync(async (c, n) =>
        {
            if (fail?.Invoke(c, n) == true)
            {
                await c.WriteJsonAsync("{}", 500);
                return;
            }

            var q = c.Request.Query;
            IEnumerable<Item> items = Dataset;
            if (q.TryGetValue("start", out var start))
            {
                items = items.Where(i => i.Id >= long.Parse(start!, CultureInfo.InvariantCulture));
            }

            if (q.TryGetValue("skip", out var skip))
            {
                items = items.Skip(int.Parse(skip!, CultureInfo.InvariantCulture));
            }

            var size = int.Parse(q["size"].FirstOrDefault() ?? q["limit"].FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
            await c.WriteJsonAsync(TestApi.Json(items.Take(size)));
        });

    private static Func<long?, int, CancellationToken, Task<EventsResponse<IReadOnlyList<Item>>>> CursorFetch(EventsPipeline pipeline) => (cursor, size, ct) =>
    {
        var r = TestApi.Get();
        if (cursor is { } s)
        {
            r.AddQuery("start", s.ToString(CultureInfo.InvariantCulture));
        }

        r.AddQuery("size", size.ToString(CultureInfo.InvariantCulture));
        return pipeline.GetItemsResponseAsync(ct, r);
    };

    private static Func<long, int, CancellationToken, Task<EventsResponse<IReadOnlyList<Item>>>> OffsetFetch(EventsPipeline pipeline) => (offset, size, ct) =>
    {
        var r = TestApi.Get();
        r.AddQuery("skip", offset.ToString(CultureInfo.InvariantCulture));
        r.AddQuery("limit", size.ToString(CultureInfo.InvariantCulture));
        return pipeline.GetItemsResponseAsync(ct, r);
    };

    [Fact]
    public async Task Cursor_pages_start_at_last_id_plus_one_and_stop_at_a_short_page()
    {
        await using var server = await StartServerAsync();
        var pipeline = TestApi.Pipeline(server);

        var pages = await Pager.CursorPagesAsync(null, 10, CursorAdvance.LastPlusOne, PageStop.ShortPage, CursorFetch(pipeline), static i => i.Id, null, default).ToListAsync();

        Assert.Equal(new[] { 10, 10, 5 }, pages.Select(p => p.Items.Count));
        Assert.Equal(new[] { "?size=10", "?start=11&size=10", "?start=21&size=10" }, server.Requests.Select(r => r.Query));
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken);
    }

    [Fact]
    public async Task A_continuation_token_resumes_where_its_page_left_off()
    {
        await using var server = await StartServerAsync();
        var pipeline = TestApi.Pipeline(server);
        var first = await Pager.CursorPagesAsync(null, 10, CursorAdvance.LastPlusOne, PageStop.ShortPage, CursorFetch(pipeline), static i => i.Id, null, default).FirstAsync();

        // The token is a plain string: it survives a process boundary.
        var token = new string(first.ContinuationToken!.ToCharArray());
        var rest = await Pager.ItemsAsync(Pager.CursorPagesAsync(null, 10, CursorAdvance.LastPlusOne, PageStop.ShortPage, CursorFetch(pipeline), static i => i.Id, token, default), default).ToListAsync();

        Assert.Equal(Enumerable.Range(11, 15).Select(i => (long)i), rest.Select(i => i.Id));
    }

    [Fact]
    public async Task Offset_pages_advance_by_the_items_received_and_can_stop_at_an_empty_page()
    {
        await using var server = await StartServerAsync();
        var pipeline = TestApi.Pipeline(server);

        var items = await Pager.ItemsAsync(Pager.OffsetPagesAsync(0, 10, PageStop.EmptyPage, OffsetFetch(pipeline), null, default), default).ToListAsync();

        Assert.Equal(Dataset, items);
        Assert.Equal(new[] { "?skip=0&limit=10", "?skip=10&limit=10", "?skip=20&limit=10", "?skip=25&limit=10" }, server.Requests.Select(r => r.Query));
    }

    [Fact]
    public async Task Offset_token_resumes_and_is_not_taken_for_a_cursor_token()
    {
        await using var server = await StartServerAsync();
        var pipeline = TestApi.Pipeline(server);
        var first = await Pager.OffsetPagesAsync(0, 10, PageStop.ShortPage, OffsetFetch(pipeline), null, default).FirstAsync();

        var second = await Pager.OffsetPagesAsync(0, 10, PageStop.ShortPage, OffsetFetch(pipeline), first.ContinuationToken, default).FirstAsync();
        Assert.Equal(11, second.Items[0].Id);

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Pager.CursorPagesAsync(null, 10, CursorAdvance.LastPlusOne, PageStop.ShortPage, CursorFetch(pipeline), static i => i.Id, first.ContinuationToken, default).FirstAsync());
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Pager.OffsetPagesAsync(0, 10, PageStop.ShortPage, OffsetFetch(pipeline), "garbage", default).FirstAsync());
    }

    [Fact]
    public async Task A_failed_page_is_retried_alone_not_the_whole_enumeration()
    {
        var failedOnce = 0;
        await using var server = await StartServerAsync((c, _) => c.Request.Query["start"] == "11" && Interlocked.Exchange(ref failedOnce, 1) == 0);
        var pipeline = TestApi.Pipeline(server);

        var items = await Pager.ItemsAsync(Pager.CursorPagesAsync(null, 10, CursorAdvance.LastPlusOne, PageStop.ShortPage, CursorFetch(pipeline), static i => i.Id, null, default), default).ToListAsync();

        Assert.Equal(Dataset, items);
        Assert.Equal(new[] { "?size=10", "?start=11&size=10", "?start=11&size=10", "?start=21&size=10" }, server.Requests.Select(r => r.Query));
    }

    [Fact]
    public async Task Cancelling_between_pages_stops_the_enumeration()
    {
        await using var server = await StartServerAsync();
        var pipeline = TestApi.Pipeline(server);
        using var cts = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Pager.ItemsAsync(Pager.CursorPagesAsync(null, 10, CursorAdvance.LastPlusOne, PageStop.ShortPage, CursorFetch(pipeline), static i => i.Id, null, cts.Token), cts.Token))
            {
                if (++seen == 10)
                {
                    cts.Cancel();
                }
            }
        });

        Assert.Equal(10, seen);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_cursor_that_does_not_move_is_an_error_not_an_endless_loop()
    {
        var page = (IReadOnlyList<Item>)TestApi.Items(1, 10);
        var pages = Pager.CursorPagesAsync<Item>(1, 10, CursorAdvance.Last, PageStop.ShortPage, (_, _, _) => Task.FromResult(EventsResponse.FromValue(page)), static i => i.Id, null, default);

        var ex = await Assert.ThrowsAsync<EventsPagingException>(async () => await pages.ToListAsync());
        Assert.Equal(10, ex.Cursor);
    }

    [Fact]
    public async Task An_empty_first_page_is_one_empty_page()
    {
        var pages = await Pager.OffsetPagesAsync<Item>(0, 10, PageStop.EmptyPage, (_, _, _) => Task.FromResult(EventsResponse.FromValue<IReadOnlyList<Item>>(Array.Empty<Item>())), null, default).ToListAsync();

        var only = Assert.Single(pages);
        Assert.Empty(only.Items);
        Assert.Null(only.ContinuationToken);
    }
}

internal static class AsyncEnumerableTestExtensions
{
    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    public static async Task<T> FirstAsync<T>(this IAsyncEnumerable<T> source)
    {
        await foreach (var item in source)
        {
            return item;
        }

        throw new InvalidOperationException("Empty.");
    }
}
