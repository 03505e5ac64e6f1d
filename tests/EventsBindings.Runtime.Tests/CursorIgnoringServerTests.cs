using System.Globalization;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Json;
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

    /// <summary>
    /// A server that ignores the link: every request gets the same full page and a new next link (its counter
    /// grows, so no link repeats). Without the repeated-page check the walk fetched it forever (the probe: 50
    /// identical pages and counting).
    /// </summary>
    private static Task<LoopbackServer> StartLinkIgnoringServerAsync(bool inBody)
    {
        var served = 0;
        return LoopbackServer.StartAsync((c, _) =>
        {
            var n = Interlocked.Increment(ref served);
            if (n > 50)
            {
                // Bounds the test without the check: the walk would end here without an error, and the test fail.
                return c.WriteJsonAsync(inBody ? "{\"data\":[]}" : "[]");
            }

            var page = TestApi.Json(TestApi.Items(1, 50).Take(PageSize));
            if (inBody)
            {
                return c.WriteJsonAsync("{\"data\":" + page + ",\"next\":\"items?page=" + n.ToString(CultureInfo.InvariantCulture) + "\"}");
            }

            c.Response.Headers["Link"] = "<items?page=" + n.ToString(CultureInfo.InvariantCulture) + ">; rel=\"next\"";
            return c.WriteJsonAsync(page);
        });
    }

    private static Task<LinkedPage<Item>> FetchLinkedAsync(EventsPipeline pipeline, string? link, bool inBody, CancellationToken ct)
    {
        var request = TestApi.Get();
        request.AddQuery("limit", PageSize.ToString(CultureInfo.InvariantCulture));
        if (link is not null)
        {
            request.FollowLink(new Uri(link, UriKind.Absolute));
        }

        return inBody
            ? pipeline.SendPageAsync<Item>(request, static body => JsonPayload.ReadList<Item>(body, "data", Item.Read), NextLinkLocation.Field(new[] { "next" }), ct)
            : pipeline.SendPageAsync<Item>(request, static body => JsonPayload.ReadList<Item>(body, null, Item.Read), NextLinkLocation.Header("Link", "next"), ct);
    }

    [Theory]
    [InlineData(false, PageStop.Absent)]
    [InlineData(true, PageStop.Absent)]
    [InlineData(false, PageStop.EmptyPage)]
    public async Task Next_link_paging_ends_with_a_paging_error_when_every_link_answers_the_same_page(bool inBody, PageStop stop)
    {
        await using var server = await StartLinkIgnoringServerAsync(inBody);
        var pipeline = TestApi.Pipeline(server);
        var yielded = new List<EventsPage<Item>>();
        var ex = await Assert.ThrowsAsync<EventsPagingException>(async () =>
        {
            await foreach (var page in Pager.LinkPagesAsync<Item>(server.BaseUri, false, stop, (link, ct) => FetchLinkedAsync(pipeline, link, inBody, ct), null, default))
            {
                yielded.Add(page);
            }
        });

        Assert.Contains("repeats the page before it", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.Single(yielded);
        Assert.Equal(Enumerable.Range(1, PageSize).Select(i => (long)i), yielded[0].Items.Select(i => i.Id));

        // The pages handed to the caller are the same as without the check: no captured JSON unless asked for.
        Assert.IsNotAssignableFrom<IRawJsonItems>(yielded[0].Items);
    }

    [Fact]
    public async Task Next_link_paging_still_walks_pages_that_share_their_ends_but_not_their_size()
    {
        // Two pages with the same first and last item but a different count moved forward (the check compares whole pages' ends and sizes).
        var served = 0;
        await using var server = await LoopbackServer.StartAsync((c, _) =>
        {
            var n = Interlocked.Increment(ref served);
            var items = n switch { 1 => new[] { TestApi.Items(1, 1)[0], TestApi.Items(3, 3)[0] }, 2 => new[] { TestApi.Items(1, 1)[0], TestApi.Items(2, 2)[0], TestApi.Items(3, 3)[0] }, _ => Array.Empty<Item>() };
            if (n < 3)
            {
                c.Response.Headers["Link"] = "<items?page=" + n.ToString(CultureInfo.InvariantCulture) + ">; rel=\"next\"";
            }

            return c.WriteJsonAsync(TestApi.Json(items));
        });
        var pipeline = TestApi.Pipeline(server);

        var pages = await Pager.LinkPagesAsync<Item>(server.BaseUri, false, PageStop.Absent, (link, ct) => FetchLinkedAsync(pipeline, link, false, ct), null, default).ToListAsync();

        Assert.Equal(new[] { 2, 3 }, pages.Select(p => p.Items.Count)); // the empty last page ends the walk
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_next_link_export_ends_with_a_paging_error_and_delivers_each_item_once(bool rawJson)
    {
        await using var server = await StartLinkIgnoringServerAsync(inBody: false);
        var pipeline = TestApi.Pipeline(server);
        using var dir = new TempDir();
        var source = SyncSources.NextLink<Item>(server.BaseUri, false, PageStop.EmptyPage, (link, ct) => FetchLinkedAsync(pipeline, link, false, ct), static i => i.Id.ToString(CultureInfo.InvariantCulture));
        var store = new InMemoryCheckpointStore();

        await Assert.ThrowsAsync<EventsPagingException>(() => new CheckpointedExport<Item>(source, store, Ndjson.Sink(dir.File("x.ndjson")), new ExportOptions { RawJson = rawJson }).RunOnceAsync());

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(Enumerable.Range(1, PageSize).Select(i => (long)i), Ndjson.Ids(dir.File("x.ndjson")));
    }
}
