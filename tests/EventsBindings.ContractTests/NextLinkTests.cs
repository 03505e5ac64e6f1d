using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Linked;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Paging;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>The mock serving the next-link test contract (tests/fixtures/nextlink), with a fixed clock.</summary>
public sealed class NextLinkFixture : MockServerFixture
{
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public NextLinkFixture()
        : base(new MockServerOptions { Port = 0, Events = 400, Seed = 11, ContractsDirectory = Path.Combine(AppContext.BaseDirectory, "fixtures", "nextlink") })
    {
        Options.TimeProvider = new FixedTimeProvider(Now);
    }

    public ContractSpec Contract { get; } = ContractReader.ParseFile(Path.Combine(AppContext.BaseDirectory, "fixtures", "nextlink", "linked.events.yaml")).Contract!;

    public LinkedClient Client(LinkedClientOptions? options = null) =>
        new(ApiBaseAddress("Linked"), new EventsKeyCredential(Credential("Linked").Value), options);
}

/// <summary>
/// Next-link paging end to end: the generated client of the next-link test contract pages through the mock by
/// its Link header, its body URL and its body token, with no duplicate and no gap against the oracle (plain
/// HTTP walk), including many events sharing a millisecond and events appended during the walk; an export
/// killed mid-run resumes from its stored link exactly once.
/// </summary>
[CollectionDefinition("nextlink", DisableParallelization = true)]
public sealed class NextLinkCollection : ICollectionFixture<NextLinkFixture>
{
}

[Collection("nextlink")]
public sealed class NextLinkTests(NextLinkFixture fx)
{
    private static readonly DateTimeOffset Shared = NextLinkFixture.Now.AddHours(-3).AddTicks(1234560); // ...:00.123456

    [Fact]
    public async Task The_generated_client_pages_by_link_header_body_url_and_body_token_with_no_duplicate_or_gap_even_within_a_millisecond()
    {
        fx.Reset();
        fx.AppendItems("Linked", SameMillisecond(60, "shared"));
        var client = fx.Client();
        var oracle = Ids(await Walker.AllAsync(fx, fx.Contract, fx.Contract.Endpoints.Single(e => e.Name == "Logs"), new Dictionary<string, string>(), pageSize: 1000));
        Assert.Equal(460, oracle.Count);
        Assert.Equal(oracle.Count, oracle.Distinct().Count());

        foreach (var size in new[] { 7, 25, 100 })
        {
            var logs = await Collect(client.GetLogsAsync(new LogsQuery { Limit = size }));
            var feed = await Collect(client.GetFeedAsync(new FeedQuery { Limit = size }));
            var pages = await Collect(client.GetPagesAsync(new PagesQuery { Limit = size }));
            Assert.Equal(oracle, logs.Select(e => e.Uuid).ToList());
            Assert.Equal(oracle, feed.Select(e => e.Uuid).ToList());
            Assert.Equal(oracle, pages.Select(e => e.Uuid).ToList());
        }

        // The walk's oracle is also what the plain HTTP walker sees on the body variants.
        Assert.Equal(oracle, Ids(await Walker.AllAsync(fx, fx.Contract, fx.Contract.Endpoints.Single(e => e.Name == "Feed"), new Dictionary<string, string>(), pageSize: 9)));
        Assert.Equal(oracle, Ids(await Walker.AllAsync(fx, fx.Contract, fx.Contract.Endpoints.Single(e => e.Name == "Pages"), new Dictionary<string, string>(), pageSize: 9)));
    }

    [Fact]
    public async Task Filters_and_the_sort_order_travel_in_the_links_and_the_continuation_token_resumes_after_its_page()
    {
        fx.Reset();
        fx.AppendItems("Linked", SameMillisecond(30, "warned", "WARN"));
        var client = fx.Client();
        var query = new LogsQuery { Limit = 4, Severity = Severity.Warn, SortOrder = SortOrder.Descending };
        var expected = Ids(await Walker.AllAsync(fx, fx.Contract, fx.Contract.Endpoints.Single(e => e.Name == "Logs"), new Dictionary<string, string> { ["severity"] = "WARN", ["sortOrder"] = "DESCENDING" }, pageSize: 1000));
        Assert.True(expected.Count > 30);

        var pages = new List<EventsPage<LogEvent>>();
        await foreach (var page in client.GetLogsAsync(query).AsPages())
        {
            Assert.All(page.Items, e => Assert.Equal(Severity.Warn, e.Severity));
            pages.Add(page);
        }

        Assert.Equal(expected, pages.SelectMany(p => p.Items).Select(e => e.Uuid).ToList());
        var times = pages.SelectMany(p => p.Items).Select(e => e.Published).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);

        var resumed = await client.GetLogsAsync(query).AsPages(pages[2].ContinuationToken).FirstAsync();
        Assert.Equal(pages[3].Items.Select(e => e.Uuid), resumed.Items.Select(e => e.Uuid));
    }

    [Fact]
    public async Task Items_appended_during_a_walk_are_met_once()
    {
        fx.Reset();
        var client = fx.Client();
        var seen = new List<string>();
        var appended = false;
        await foreach (var page in client.GetFeedAsync(new FeedQuery { Limit = 50 }).AsPages())
        {
            seen.AddRange(page.Items.Select(e => e.Uuid));
            if (!appended)
            {
                fx.AppendItems("Linked", SameMillisecond(20, "late", at: NextLinkFixture.Now.AddMinutes(-1)));
                appended = true;
            }
        }

        Assert.Equal(420, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(20, seen.Count(id => id.StartsWith("late-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_token_the_mock_did_not_issue_is_a_400_naming_the_parameter()
    {
        fx.Reset();
        foreach (var (path, parameter) in new[] { ("/logs", "after"), ("/feed", "cursor"), ("/pages", "pageToken") })
        {
            var (status, body, _) = await fx.GetAsync("Linked", $"{path}?{parameter}=forged-token");
            Assert.Equal(400, status);
            using var doc = JsonDocument.Parse(body);
            Assert.Equal(parameter, doc.RootElement.GetProperty("errorParameter").GetString());
            Assert.Contains(parameter, doc.RootElement.GetProperty("errorSummary").GetString(), StringComparison.Ordinal);
        }

        // A token of another endpoint is not one of this endpoint's.
        var (_, _, first) = await fx.GetAsync("Linked", "/logs?limit=5");
        var next = LinkHeader.FindTarget(first.Headers.GetValues("Link"), "next")!;
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(next).Query)["after"];
        var (other, _, _) = await fx.GetAsync("Linked", "/feed?cursor=" + Uri.EscapeDataString(token!));
        Assert.Equal(400, other);
    }

    [Fact]
    public async Task The_header_variant_names_next_and_self_and_polling_mode_keeps_a_next_link_on_the_empty_last_page()
    {
        fx.Reset();
        var (_, _, response) = await fx.GetAsync("Linked", "/logs?limit=1000");
        var values = response.Headers.GetValues("Link").ToList();
        var links = values.SelectMany(LinkHeader.Parse).ToList();
        Assert.Contains(links, l => l.HasRelation("self"));
        var next = LinkHeader.FindTarget(values, "next");
        Assert.NotNull(next);

        // Past the end: an empty page that names its own position again (stop: emptyPage), so a poller returns there.
        var (status, body, empty) = await fx.GetAsync("Linked", Walker.RelativeToApi(fx, fx.Contract, new Uri(next!)));
        Assert.Equal(200, status);
        Assert.Equal("[]", body.Trim());
        Assert.Equal(next, LinkHeader.FindTarget(empty.Headers.GetValues("Link"), "next"));

        // The body URL variant (stop: absent) names no next page on its last page.
        var (_, feedBody, _) = await fx.GetAsync("Linked", "/feed?limit=1000");
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(feedBody).RootElement.GetProperty("links").GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("Logs", 1)]
    [InlineData("Logs", 2)]
    [InlineData("Logs", 4)]
    [InlineData("Logs", 5)]
    [InlineData("Feed", 2)]
    [InlineData("Feed", 3)]
    [InlineData("Pages", 4)]
    public async Task An_export_killed_mid_run_resumes_from_its_stored_link_exactly_once(string endpoint, int crashOnSave)
    {
        fx.Reset();
        fx.AppendItems("Linked", SameMillisecond(40, "shared"));
        var dir = Directory.CreateTempSubdirectory("eb-nextlink-");
        try
        {
            var store = new FileCheckpointStore(Path.Combine(dir.FullName, "cp.json"));
            var file = Path.Combine(dir.FullName, "events.ndjson");
            var client = fx.Client();
            CheckpointedExport<LogEvent> Export(ICheckpointStore s) => endpoint switch
            {
                "Logs" => client.CreateLogsExport(s, Sink(file), pageSize: 60),
                "Feed" => client.CreateFeedExport(s, Sink(file), pageSize: 60),
                _ => client.CreatePagesExport(s, Sink(file), pageSize: 60),
            };

            await Assert.ThrowsAsync<KilledException>(() => Export(new KillingStore(store, crashOnSave)).RunOnceAsync());
            var stored = ExportCheckpoint.Parse((await store.LoadAsync(default)) ?? new ExportCheckpoint("nextLink", SyncCursor.Start, null).ToJson());
            Assert.Equal("nextLink", stored.Strategy);

            fx.AppendItems("Linked", SameMillisecond(15, "appended", at: NextLinkFixture.Now.AddSeconds(-5)));
            var resumed = await Export(store).RunOnceAsync();
            var again = await Export(store).RunOnceAsync();

            var ids = File.ReadAllLines(file).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("uuid").GetString()!).ToList();
            Assert.Equal(455, ids.Count);
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(0, again.Delivered);
            var checkpoint = ExportCheckpoint.Parse((await store.LoadAsync(default))!);
            Assert.NotNull(checkpoint.Cursor.Link);
            if (crashOnSave > 2)
            {
                // The first run committed a page: the resumed run started at the stored link, not at the first request.
                Assert.NotNull(stored.Cursor.Link);
            }

            Assert.True(resumed.Delivered > 0);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_client_on_another_origin_than_the_links_refuses_to_follow_them()
    {
        fx.Reset();
        // The mock builds its links from the request's Host; a client that reaches it as "localhost" gets
        // links on 127.0.0.1's origin... so call it by another name for the same socket and expect the refusal.
        var base127 = fx.ApiBaseAddress("Linked");
        var other = new UriBuilder(base127) { Host = "localhost" }.Uri;
        using var http = new HttpClient(new HostRewritingHandler(base127.Host) { InnerHandler = new HttpClientHandler() });
        var client = new LinkedClient(http, other, new EventsKeyCredential(fx.Credential("Linked").Value));
        var ex = await Assert.ThrowsAsync<EventsPagingException>(async () => await Collect(client.GetLogsAsync(new LogsQuery { Limit = 10 })));
        Assert.True(ex.CrossOrigin);
        Assert.DoesNotContain(fx.Credential("Linked").Value, ex.Message, StringComparison.Ordinal);
    }

    private static NdjsonFileSink<LogEvent> Sink(string file) => NdjsonFileSink.Create<LogEvent>(file);

    private static List<string> Ids(List<JsonElement> items) => items.Select(i => i.GetProperty("uuid").GetString()!).ToList();

    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Events that all share one millisecond (different microseconds are not sent: the wire has 3 fraction digits).</summary>
    private static IEnumerable<JsonObject> SameMillisecond(int count, string prefix, string severity = "INFO", DateTimeOffset? at = null) =>
        Enumerable.Range(0, count).Select(i => new JsonObject
        {
            ["uuid"] = $"{prefix}-{i:D4}",
            ["published"] = (at ?? Shared).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["eventType"] = "user.session.start",
            ["severity"] = severity,
            ["displayMessage"] = "shared millisecond " + i.ToString(CultureInfo.InvariantCulture),
        });

    private sealed class KilledException() : Exception("killed");

    /// <summary>A checkpoint store whose process "dies" at its n-th save, before writing.</summary>
    private sealed class KillingStore(ICheckpointStore inner, int killOnSave) : ICheckpointStore
    {
        private int _saves;

        public Task<string?> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public Task SaveAsync(string checkpoint, CancellationToken cancellationToken) =>
            ++_saves == killOnSave ? throw new KilledException() : inner.SaveAsync(checkpoint, cancellationToken);
    }

    /// <summary>Sends every request to the real host while the client believes it talks to another one.</summary>
    private sealed class HostRewritingHandler(string host) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Host = host }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
