using System.Globalization;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Paging;
using EventsBindings.Runtime.Tests.Support;
using Xunit;

namespace EventsBindings.Runtime.Tests;

/// <summary>
/// Issue 14, bug 3: a server that ignores the cursor (every query parameter: start, offset, after) answers
/// the same full page to every request. Every paging and sync strategy must end with an
/// <see cref="EventsPagingException"/> after a few requests instead of fetching that page forever.
/// </summary>
public sealed class CursorIgnoringServerTests
{
    private const int PageSize = 10;

    private static Task<LoopbackServer> StartIgnoringServerAsync() =>
        LoopbackServer.StartAsync((c, _) => c.WriteJsonAsync(TestApi.Json(TestApi.Items(1, 50).Take(PageSize))));

    private static EventsRequest Request(params (string Name, object? Value)[] query)
    {
        var r = TestApi.Get();
        foreach (var (name, value) in query)
        {
            if (value is not null)
            {
                r.AddQuery(name, Convert.ToString(value, CultureInfo.InvariantCulture)!);
            }
        }

        return r;
    }

    [Theory]
    [InlineData(CursorAdvance.LastPlusOne, PageStop.ShortPage)]
    [InlineData(CursorAdvance.Last, PageStop.ShortPage)]
    [InlineData(CursorAdvance.LastPlusOne, PageStop.EmptyPage)]
    public async Task Cursor_paging_ends_with_a_paging_error(CursorAdvance advance, PageStop stop)
    {
        await using var server = await StartIgnoringServerAsync();
        var pipeline = TestApi.Pipeline(server);
        var pages = Pager.CursorPagesAsync<Item>(null, PageSize, advance, stop, (cursor, size, ct) => pipeline.GetItemsResponseAsync(ct, Request(("start", cursor), ("size", size))), static i => i.Id, null, default);

        await Assert.ThrowsAsync<EventsPagingException>(async () => await pages.ToListAsync());
        Assert.InRange(server.Requests.Count, 1, 3);
    }

    [Theory]
    [InlineData(PageStop.ShortPage)]
    [InlineData(PageStop.EmptyPage)]
    public async Task Offset_paging_ends_with_a_paging_error(PageStop stop)
    {
        await using var server = await StartIgnoringServerAsync();
        var pipeline = TestApi.Pipeline(server);
        var pages = Pager.OffsetPagesAsync<Item>(0, PageSize, stop, (offset, size, ct) => pipeline.GetItemsResponseAsync(ct, Request(("skip", offset), ("limit", size))), static i => i.Id.ToString(CultureInfo.InvariantCulture), null, default);

        var ex = await Assert.ThrowsAsync<EventsPagingException>(async () => await pages.ToListAsync());
        Assert.Equal(PageSize, ex.Cursor);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Offset_paging_without_ids_tells_a_repeated_page_by_the_items_json()
    {
        await using var server = await StartIgnoringServerAsync();
        var pipeline = TestApi.Pipeline(server);
        var pages = Pager.OffsetPagesAsync<Item>(0, PageSize, PageStop.EmptyPage, (offset, size, ct) => pipeline.GetItemsResponseAsync(ct, Request(("skip", offset), ("limit", size))), static i => Pager.Fingerprint(i, static (item, w) => Item.Write(w, item)), null, default);

        await Assert.ThrowsAsync<EventsPagingException>(async () => await pages.ToListAsync());
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_id_cursor_export_ends_with_a_paging_error()
    {
        await using var server = await StartIgnoringServerAsync();
        var pipeline = TestApi.Pipeline(server);
        using var dir = new TempDir();
        var source = SyncSources.IdCursor<Item>((start, size, ct) => pipeline.GetItemsAsync(ct, Request(("start", start), ("size", size))), static i => i.Id, PageSize);

        await Assert.ThrowsAsync<EventsPagingException>(() => new CheckpointedExport<Item>(source, new InMemoryCheckpointStore(), Ndjson.Sink(dir.File("x.ndjson"))).RunOnceAsync());
        Assert.InRange(server.Requests.Count, 1, 3);
        Assert.Equal(Enumerable.Range(1, PageSize).Select(i => (long)i), Ndjson.Ids(dir.File("x.ndjson")));
    }

    [Fact]
    public async Task A_time_cursor_export_ends_with_a_paging_error_and_delivers_each_item_once()
    {
        // The export RunOnceAsync of the issue re-requested one page ~1,370 times in 10 s.
        await using var server = await StartIgnoringServerAsync();
        var pipeline = TestApi.Pipeline(server);
        using var dir = new TempDir();
        var source = SyncSources.TimeCursor<Item>(
            (after, offset, size, ct) => pipeline.GetItemsAsync(ct, Request(("after", after), ("skip", offset), ("limit", size))),
            static i => i.At,
            static i => i.Id.ToString(CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(5),
            PageSize);

        var ex = await Assert.ThrowsAsync<EventsPagingException>(() => new CheckpointedExport<Item>(source, new InMemoryCheckpointStore(), Ndjson.Sink(dir.File("x.ndjson"))).RunOnceAsync());
        Assert.Equal(PageSize, ex.Cursor);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(Enumerable.Range(1, PageSize).Select(i => (long)i), Ndjson.Ids(dir.File("x.ndjson")));
    }
}
