using System.Globalization;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Json;
using EventsBindings.Runtime.Paging;
using EventsBindings.Runtime.Tests.Support;
using EventsBindings.Testing;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace EventsBindings.Runtime.Tests;

/// <summary>Next-link paging: the RFC 8288 parser, the pager over a loopback server, the same-origin rule, and the nextLink sync.</summary>
public sealed class LinkPagingTests
{
    [Fact]
    public void Link_header_parses_several_links_quoted_parameters_and_several_relations()
    {
        var links = LinkHeader.Parse("<https://a.example/x?after=1,2>; rel=\"self\", <https://a.example/x?after=3>;rel=\"next last\" ; title=\"a, b; \\\"c\\\"\", </rel>; REL=Next; anchor=\"#f\"");
        Assert.Equal(3, links.Count);
        Assert.Equal("https://a.example/x?after=1,2", links[0].Target);
        Assert.Equal(new[] { "self" }, links[0].Relations);
        Assert.Equal(new[] { "next", "last" }, links[1].Relations);
        Assert.Equal("a, b; \"c\"", links[1].Parameters.Single(p => p.Key == "title").Value);
        Assert.True(links[2].HasRelation("next"));
        Assert.True(links[2].HasRelation("NEXT"));
        Assert.Equal("/rel", links[2].Target);
    }

    [Fact]
    public void The_next_target_is_found_across_several_header_values_and_a_second_rel_is_ignored()
    {
        Assert.Equal("/p2", LinkHeader.FindTarget(new[] { "<https://a.example/self>; rel=self", "<https://a.example/prev>; rel=prev, </p2>; rel=\"next\"" }, "next"));
        Assert.Null(LinkHeader.FindTarget(new[] { "<https://a.example/self>; rel=self; rel=next" }, "next"));
        Assert.Null(LinkHeader.FindTarget(new[] { "", " , " }, "next"));
        Assert.Null(LinkHeader.FindTarget(null, "next"));
    }

    [Theory]
    [InlineData("https://a.example/x; rel=next", 0, "expected '<'")]
    [InlineData("<https://a.example/x; rel=next", 0, "never closed by '>'")]
    [InlineData("<https://a.example/x> rel=next", 22, "expected ';'")]
    [InlineData("<https://a.example/x>; rel=\"next", 27, "never closed by '\"'")]
    [InlineData("<https://a.example/x>; =next", 23, "expected a parameter name")]
    [InlineData("<https://a.example/x>; rel=", 27, "has '=' but no value")]
    public void A_malformed_link_header_says_where(string value, int position, string what)
    {
        var ex = Assert.Throws<LinkHeaderFormatException>(() => LinkHeader.Parse(value));
        Assert.Equal(position, ex.Position);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"at character {position + 1}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_second_header_value_is_reported_with_its_index()
    {
        var ex = Assert.Throws<LinkHeaderFormatException>(() => LinkHeader.FindTarget(new[] { "</a>; rel=next", "</b> rel=self" }, "next"));
        Assert.Equal(1, ex.ValueIndex);
        Assert.Contains("(value 2)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_header_paging_walks_a_loopback_server_to_the_end_with_relative_links_and_credentials_on_every_page()
    {
        var items = TestApi.Items(1, 47);
        await using var server = await LoopbackServer.StartAsync(c => ServeLinked(c, items, LinkStyle.RelativeHeader));
        var pipeline = TestApi.Pipeline(server);

        var pages = await Pager.LinkPagesAsync<Item>(server.BaseUri, false, PageStop.Absent, (link, ct) => FetchAsync(pipeline, link, NextLinkLocation.Header("Link", "next"), ct), null, default).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 47).Select(i => (long)i), pages.SelectMany(p => p.Items).Select(i => i.Id));
        Assert.Equal(5, pages.Count);
        Assert.Null(pages[^1].ContinuationToken);
        Assert.All(server.Requests, r => Assert.Equal("test-key", r.Headers["x-test-key"]));
        Assert.All(server.Requests.Skip(1), r => Assert.Contains("limit=10", r.Query, StringComparison.Ordinal));

        // A page's continuation token resumes after it, in another enumeration.
        var resumed = await Pager.LinkPagesAsync<Item>(server.BaseUri, false, PageStop.Absent, (link, ct) => FetchAsync(pipeline, link, NextLinkLocation.Header("Link", "next"), ct), pages[1].ContinuationToken, default).ToListAsync();
        Assert.Equal(Enumerable.Range(21, 27).Select(i => (long)i), resumed.SelectMany(p => p.Items).Select(i => i.Id));
    }

    [Theory]
    [InlineData(LinkStyle.BodyUrl)]
    [InlineData(LinkStyle.BodyToken)]
    public async Task Body_field_paging_follows_a_url_or_sends_back_a_token(LinkStyle style)
    {
        var items = TestApi.Items(1, 23);
        await using var server = await LoopbackServer.StartAsync(c => ServeLinked(c, items, style));
        var pipeline = TestApi.Pipeline(server);
        var isToken = style == LinkStyle.BodyToken;

        var pages = await Pager.LinkPagesAsync<Item>(server.BaseUri, isToken, PageStop.Absent, (link, ct) => FetchAsync(pipeline, link, NextLinkLocation.Field(new[] { "meta", "next" }), ct, token: isToken), null, default).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 23).Select(i => (long)i), pages.SelectMany(p => p.Items).Select(i => i.Id));
        Assert.Equal(3, pages.Count);
    }

    [Fact]
    public async Task A_next_link_to_another_origin_is_refused_and_the_credentials_never_go_there()
    {
        await using var elsewhere = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[]"));
        var items = TestApi.Items(1, 30);
        await using var server = await LoopbackServer.StartAsync(c =>
        {
            c.Response.Headers["Link"] = $"<{elsewhere.BaseUri}/items?after=10>; rel=\"next\"";
            return c.WriteJsonAsync(TestApi.Json(items.Take(10)));
        });
        var pipeline = TestApi.Pipeline(server, new EventsKeyCredential("secret-key-123"));

        var pages = new List<EventsPage<Item>>();
        var ex = await Assert.ThrowsAsync<EventsPagingException>(async () =>
        {
            await foreach (var page in Pager.LinkPagesAsync<Item>(server.BaseUri, false, PageStop.Absent, (link, ct) => FetchAsync(pipeline, link, NextLinkLocation.Header("Link", "next"), ct), null, default))
            {
                pages.Add(page);
            }
        });

        Assert.True(ex.CrossOrigin);
        Assert.Empty(pages); // the page that names the foreign link is not handed out with a token that leads there
        Assert.Contains("another origin", ex.Message, StringComparison.Ordinal);
        Assert.Contains(NextLinks.OriginOf(elsewhere.BaseUri), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-123", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("after=10", ex.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);

        // A forged continuation token that leads elsewhere is refused too, and so is a request built to follow one.
        var forged = ContinuationToken.CreateText(ContinuationToken.LinkKind, elsewhere.BaseUri + "/items");
        await Assert.ThrowsAsync<EventsPagingException>(async () => await Pager.LinkPagesAsync<Item>(server.BaseUri, false, PageStop.Absent, (link, ct) => FetchAsync(pipeline, link, NextLinkLocation.Header("Link", "next"), ct), forged, default).ToListAsync());
        var request = TestApi.Get();
        request.FollowLink(new Uri(elsewhere.BaseUri + "/items"));
        var direct = await Assert.ThrowsAsync<EventsPagingException>(() => pipeline.SendPageAsync<Item>(request, static body => JsonPayload.ReadList<Item>(body, null, Item.Read), NextLinkLocation.Header("Link", "next"), default));
        Assert.True(direct.CrossOrigin);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_next_link_that_repeats_ends_the_walk_with_a_paging_error()
    {
        await using var server = await LoopbackServer.StartAsync(c =>
        {
            c.Response.Headers["Link"] = "</api/items?after=5>; rel=next";
            return c.WriteJsonAsync(TestApi.Json(TestApi.Items(1, 5)));
        });
        var pipeline = TestApi.Pipeline(server);

        var ex = await Assert.ThrowsAsync<EventsPagingException>(async () => await Pager.LinkPagesAsync<Item>(server.BaseUri, false, PageStop.Absent, (link, ct) => FetchAsync(pipeline, link, NextLinkLocation.Header("Link", "next"), ct), null, default).ToListAsync());
        Assert.Contains("loop", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.CrossOrigin);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_empty_page_that_names_its_own_position_again_ends_the_walk_as_in_a_polling_mode()
    {
        var items = TestApi.Items(1, 15);
        await using var server = await LoopbackServer.StartAsync(c => ServeLinked(c, items, LinkStyle.AlwaysNext));
        var pipeline = TestApi.Pipeline(server);

        foreach (var stop in new[] { PageStop.EmptyPage, PageStop.Absent })
        {
            var pages = await Pager.LinkPagesAsync<Item>(server.BaseUri, false, stop, (link, ct) => FetchAsync(pipeline, link, NextLinkLocation.Header("Link", "next"), ct), null, default).ToListAsync();
            Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), pages.SelectMany(p => p.Items).Select(i => i.Id));
        }
    }

    [Fact]
    public async Task A_malformed_link_header_is_a_response_format_error_that_says_where()
    {
        await using var server = await LoopbackServer.StartAsync(c =>
        {
            c.Response.Headers["Link"] = "</api/items?after=5>; rel=next, </api/items> rel=self";
            return c.WriteJsonAsync(TestApi.Json(TestApi.Items(1, 5)));
        });
        var pipeline = TestApi.Pipeline(server);

        var ex = await Assert.ThrowsAsync<EventsResponseFormatException>(async () => await Pager.LinkPagesAsync<Item>(server.BaseUri, false, PageStop.Absent, (link, ct) => FetchAsync(pipeline, link, NextLinkLocation.Header("Link", "next"), ct), null, default).ToListAsync());
        Assert.Equal("Link", ex.Field);
        var inner = Assert.IsType<LinkHeaderFormatException>(ex.InnerException);
        Assert.Equal(45, inner.Position);
        Assert.Contains("at character 46", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GET /api/items", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Continuation_tokens_of_link_paging_carry_the_link_and_are_not_taken_for_another_kind()
    {
        var token = ContinuationToken.CreateText(ContinuationToken.LinkKind, "https://a.example/x?after=ab%2F:c");
        Assert.Equal("https://a.example/x?after=ab%2F:c", ContinuationToken.ParseText(token, ContinuationToken.LinkKind));
        Assert.Throws<ArgumentException>(() => ContinuationToken.Parse(token, ContinuationToken.CursorKind));
        Assert.Throws<ArgumentException>(() => ContinuationToken.ParseText(ContinuationToken.Create(ContinuationToken.OffsetKind, 5), ContinuationToken.LinkKind));
    }

    [Fact]
    public void A_link_checkpoint_round_trips_as_json()
    {
        var checkpoint = new ExportCheckpoint("nextLink", SyncCursor.AtLink("https://a.example/x?after=Zm9v", new[] { new SyncMark("u1", 0) }), new[] { "u2" });
        var parsed = ExportCheckpoint.Parse(checkpoint.ToJson());
        Assert.Equal("https://a.example/x?after=Zm9v", parsed.Cursor.Link);
        Assert.Null(parsed.Cursor.Position);
        Assert.Equal("u1", parsed.Cursor.Recent.Single().Id);
        Assert.Equal(new[] { "u2" }, parsed.Pending);
    }

    [Theory]
    [InlineData(PageStop.Absent)]
    [InlineData(PageStop.EmptyPage)]
    public async Task NextLink_export_delivers_everything_once_resumes_from_the_stored_link_and_sees_appends(PageStop stop)
    {
        using var dir = new TempDir();
        var api = new FakeLinkedApi(alwaysNext: stop == PageStop.EmptyPage);
        api.Add(TestApi.Items(1, 25));
        var store = new FileCheckpointStore(dir.File("cp.json"));
        var file = dir.File("events.ndjson");

        var first = await new CheckpointedExport<Item>(api.Source(stop), store, Ndjson.Sink(file)).RunOnceAsync();
        Assert.Equal(25, first.Delivered);
        var checkpoint = ExportCheckpoint.Parse((await store.LoadAsync(default))!);
        Assert.Equal("nextLink", checkpoint.Strategy);
        Assert.NotNull(checkpoint.Cursor.Link);

        var second = await new CheckpointedExport<Item>(api.Source(stop), store, Ndjson.Sink(file)).RunOnceAsync();
        Assert.Equal(0, second.Delivered);

        api.Add(TestApi.Items(26, 31));
        var third = await new CheckpointedExport<Item>(api.Source(stop), store, Ndjson.Sink(file)).RunOnceAsync();
        Assert.Equal(6, third.Delivered);
        Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), Ndjson.Ids(file));

        // The run resumed from the stored link: it did not fetch the first request again.
        Assert.All(api.Fetched.Skip(api.Fetched.IndexOf(null) + 1), l => Assert.NotNull(l));
        Assert.Single(api.Fetched, l => l is null);
    }

    /// <summary>Saves per page: #1 pending ids (before delivery), #2 the advanced link (after the sink's ack); 3 pages of 10, 10, 5.</summary>
    [Theory]
    [InlineData(1, PageStop.Absent)]
    [InlineData(2, PageStop.Absent)]
    [InlineData(3, PageStop.Absent)]
    [InlineData(4, PageStop.Absent)]
    [InlineData(5, PageStop.Absent)]
    [InlineData(6, PageStop.Absent)]
    [InlineData(4, PageStop.EmptyPage)]
    [InlineData(6, PageStop.EmptyPage)]
    public async Task NextLink_export_is_exactly_once_across_a_crash_at_any_checkpoint_save(int crashOnSave, PageStop stop)
    {
        using var dir = new TempDir();
        var api = new FakeLinkedApi(alwaysNext: stop == PageStop.EmptyPage);
        api.Add(TestApi.Items(1, 25));
        var store = new FileCheckpointStore(dir.File("cp.json"));
        var file = dir.File("events.ndjson");

        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.Source(stop), new CrashingStore(store, crashOnSave), Ndjson.Sink(file)).RunOnceAsync());
        api.Add(TestApi.Items(26, 28)); // appended while the export was down
        var resumed = await new CheckpointedExport<Item>(api.Source(stop), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.Equal(Enumerable.Range(1, 28).Select(i => (long)i), Ndjson.Ids(file));
        Assert.Equal(crashOnSave % 2 == 0, resumed.Recovered);
        if (crashOnSave % 2 == 0)
        {
            // The acknowledged page was fetched again from the stored link and removed by id.
            Assert.True(resumed.Duplicates >= (crashOnSave == 6 ? 5 : 10));
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 4)]
    [InlineData(3, 2)]
    public async Task NextLink_export_is_exactly_once_across_a_crash_during_delivery(int crashOnPage, int itemsBeforeCrash)
    {
        using var dir = new TempDir();
        var api = new FakeLinkedApi(alwaysNext: false);
        api.Add(TestApi.Items(1, 25));
        var store = new FileCheckpointStore(dir.File("cp.json"));
        var file = dir.File("events.ndjson");

        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.Source(PageStop.Absent), store, new CrashingSink(Ndjson.Sink(file), crashOnPage, itemsBeforeCrash)).RunOnceAsync());
        Assert.NotNull(ExportCheckpoint.Parse((await store.LoadAsync(default))!).Pending);
        var resumed = await new CheckpointedExport<Item>(api.Source(PageStop.Absent), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.True(resumed.Recovered);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), Ndjson.Ids(file));
        Assert.Null(ExportCheckpoint.Parse((await store.LoadAsync(default))!).Pending);
    }

    [Fact]
    public async Task NextLink_export_refuses_a_stored_link_on_another_origin()
    {
        using var dir = new TempDir();
        var store = new FileCheckpointStore(dir.File("cp.json"));
        await store.SaveAsync(new ExportCheckpoint("nextLink", SyncCursor.AtLink("https://elsewhere.example/items?after=3", Array.Empty<SyncMark>()), null).ToJson(), default);
        var api = new FakeLinkedApi(alwaysNext: false);
        api.Add(TestApi.Items(1, 5));

        var ex = await Assert.ThrowsAsync<EventsPagingException>(() => new CheckpointedExport<Item>(api.Source(PageStop.Absent), store, Ndjson.Sink(dir.File("e.ndjson"))).RunOnceAsync());
        Assert.True(ex.CrossOrigin);
        Assert.Empty(api.Fetched);
    }

    public enum LinkStyle
    {
        RelativeHeader,
        BodyUrl,
        BodyToken,
        AlwaysNext,
    }

    private static Task<LinkedPage<Item>> FetchAsync(EventsPipeline pipeline, string? link, NextLinkLocation next, CancellationToken ct, bool token = false)
    {
        var request = TestApi.Get();
        request.AddQuery("limit", "10");
        if (link is not null)
        {
            if (token)
            {
                request.AddQuery("after", link);
            }
            else
            {
                request.FollowLink(new Uri(link, UriKind.Absolute));
            }
        }

        var envelope = next.FieldPath is null ? null : "items";
        return pipeline.SendPageAsync<Item>(request, body => JsonPayload.ReadList<Item>(body, envelope, Item.Read), next, ct);
    }

    /// <summary>Items after the <c>after</c> id, <c>limit</c> at a time, with the next link where the style puts it.</summary>
    private static Task ServeLinked(HttpContext c, IReadOnlyList<Item> items, LinkStyle style)
    {
        var after = long.Parse(c.Request.Query["after"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
        var limit = int.Parse(c.Request.Query["limit"].FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
        var page = items.Where(i => i.Id > after).Take(limit).ToList();
        var more = items.Any(i => i.Id > (page.Count > 0 ? page[^1].Id : after));
        var nextAfter = (page.Count > 0 ? page[^1].Id : after).ToString(CultureInfo.InvariantCulture);
        var nextUrl = $"items?limit={limit}&after={nextAfter}"; // relative to /api/items
        switch (style)
        {
            case LinkStyle.RelativeHeader:
                c.Response.Headers.Append("Link", $"<{c.Request.Path}{c.Request.QueryString}>; rel=\"self\"");
                if (more)
                {
                    c.Response.Headers.Append("Link", $"<{nextUrl}>; rel=\"next\"");
                }

                return c.WriteJsonAsync(TestApi.Json(page));
            case LinkStyle.AlwaysNext:
                c.Response.Headers["Link"] = $"<https://ignored.example/self>; rel=self, <{nextUrl}>; rel=\"NEXT\"";
                return c.WriteJsonAsync(TestApi.Json(page));
            default:
                var next = !more ? "null" : style == LinkStyle.BodyToken ? "\"" + nextAfter + "\"" : "\"" + c.Request.Scheme + "://" + c.Request.Host + "/api/" + nextUrl + "\"";
                return c.WriteJsonAsync("{\"items\":" + TestApi.Json(page) + ",\"meta\":{\"count\":" + page.Count.ToString(CultureInfo.InvariantCulture) + ",\"next\":" + next + "}}");
        }
    }
}

/// <summary>An in-memory link-paged API: pages of 10 after a position, named by a link on https://api.example.com.</summary>
public sealed class FakeLinkedApi(bool alwaysNext)
{
    private static readonly Uri Base = new("https://api.example.com/v1");
    private readonly List<Item> _items = new();

    /// <summary>The links fetched, in order (null: the first request).</summary>
    public List<string?> Fetched { get; } = new();

    public void Add(IEnumerable<Item> items)
    {
        lock (_items)
        {
            _items.AddRange(items);
        }
    }

    public ISyncSource<Item> Source(PageStop stop) =>
        SyncSources.NextLink<Item>(Base, false, stop, FetchAsync, static i => i.Id.ToString(CultureInfo.InvariantCulture));

    private Task<LinkedPage<Item>> FetchAsync(string? link, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_items)
        {
            Fetched.Add(link);
            var uri = link is null ? new Uri(Base + "/items") : new Uri(link);
            var after = link is null ? 0 : long.Parse(uri.Query.Split("after=")[1], CultureInfo.InvariantCulture);
            var page = _items.Where(i => i.Id > after).OrderBy(i => i.Id).Take(10).ToList();
            var last = page.Count > 0 ? page[^1].Id : after;
            var more = _items.Any(i => i.Id > last);
            var next = more || alwaysNext ? "/v1/items?after=" + last.ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new LinkedPage<Item>(page, next, uri));
        }
    }
}
