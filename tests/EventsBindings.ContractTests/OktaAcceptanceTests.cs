using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using Xunit;
using Okta = EventsBindings.Okta;

namespace EventsBindings.ContractTests;

/// <summary>
/// Issue 14's "done when", on the third contract (contracts/okta.events.yaml), written from the vendor's
/// documentation with no C# of its own: the generated Okta client pages through the mock by Link header
/// to the end with no duplicate and no gap (events sharing a millisecond included), an export interrupted
/// mid-run resumes from the stored next link and delivers each event once, a typed SCIM filter returns
/// exactly the matching events, and a malformed filter is a 400 naming <c>filter</c>.
/// </summary>
public sealed class OktaAcceptanceTests : IAsyncLifetime
{
    private const string Api = "Okta";
    private const string Token = "okta-demo-api-token";
    private static readonly DateTimeOffset Origin = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly MockServerHost _mock = new(new MockServerOptions { Port = 0, Events = 240, Seed = 14, HotReload = false });

    public async Task InitializeAsync()
    {
        await _mock.StartAsync();

        // Forty events in one millisecond, at the end of the log: a cursor by time alone would lose or repeat them.
        var shared = _mock.Options.TimeProvider.GetUtcNow().AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var template = (await AllRawAsync())[0];
        _mock.AppendItems(Api, Enumerable.Range(0, 40).Select(i =>
        {
            var item = JsonNode.Parse(template.GetRawText())!.AsObject();
            item["uuid"] = Guid.NewGuid().ToString();
            item["published"] = shared;
            return item;
        }));
    }

    public async Task DisposeAsync() => await _mock.DisposeAsync();

    private Okta.OktaClient Client(Okta.OktaClientOptions? options = null) =>
        new(_mock.ApiBaseAddress(Api), new EventsKeyCredential(Token), options);

    [Fact]
    public async Task The_client_pages_by_Link_header_to_the_end_with_no_duplicate_and_no_gap()
    {
        var expected = (await AllRawAsync()).Select(e => e.GetProperty("uuid").GetString()!).ToList();
        Assert.True(expected.Count >= 280, $"the dataset holds {expected.Count} events");

        var pages = 0;
        var seen = new List<string>();
        await foreach (var page in Client().GetLogsAsync(new Okta.LogsQuery { Since = Origin, Limit = 7 }).AsPages())
        {
            pages++;
            seen.AddRange(page.Items.Select(e => e.Uuid));
        }

        Assert.Equal(expected, seen);
        Assert.True(pages >= expected.Count / 7, $"{pages} pages of at most 7");

        // Every page after the first was asked for through the link the mock issued (an opaque after=).
        var requests = _mock.Requests().Where(r => r.Api == Api && r.Endpoint == "Logs").ToList();
        Assert.Contains(requests, r => r.Query.Contains("after=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_export_interrupted_mid_run_resumes_from_the_stored_link_and_delivers_each_event_once()
    {
        var expected = (await AllRawAsync()).Select(e => e.GetProperty("uuid").GetString()!).ToList();
        var store = new InMemoryCheckpointStore();
        var sink = new FailingSink(failAfter: 100);

        // The first run fails in the sink (as a process killed mid-write would stop) after 100 events.
        await Assert.ThrowsAsync<IOException>(() => Client().CreateLogsExport(store, sink, pageSize: 30).RunOnceAsync());
        Assert.Equal(100, sink.Items.Count);

        sink.FailAfter = int.MaxValue;
        var resumed = await Client().CreateLogsExport(store, sink, pageSize: 30).RunOnceAsync();
        Assert.Equal(expected, sink.Items);
        Assert.True(resumed.Delivered < expected.Count, $"the second run delivered {resumed.Delivered}: it resumed rather than started over");

        // A run after new events delivers exactly those, from the stored link.
        _mock.AppendItems(Api, 9);
        var third = await Client().CreateLogsExport(store, sink, pageSize: 30).RunOnceAsync();
        Assert.Equal(9, third.Delivered);
        Assert.Equal(sink.Items.Count, sink.Items.Distinct().Count());
        Assert.Equal(expected.Count + 9, sink.Items.Count);
    }

    [Fact]
    public async Task A_typed_SCIM_filter_returns_exactly_the_matching_events()
    {
        var all = await AllRawAsync();
        var expected = all
            .Where(e => e.GetProperty("eventType").GetString() == "user.session.start" && e.GetProperty("severity").GetString() == "WARN")
            .Select(e => e.GetProperty("uuid").GetString()!)
            .ToList();
        Assert.NotEmpty(expected);

        var filter = Okta.LogEventFilter.EventType.Eq("user.session.start").And(Okta.LogEventFilter.Severity.Eq(Okta.Severity.Warn));
        Assert.Equal("eventType eq \"user.session.start\" and severity eq \"WARN\"", filter.ToString());
        var seen = new List<string>();
        await foreach (var e in Client().GetLogsAsync(new Okta.LogsQuery { Since = Origin, FilterExpression = filter, Limit = 5 }))
        {
            seen.Add(e.Uuid);
        }

        Assert.Equal(expected, seen);

        // The same expression as text, over plain HTTP: the mock executes it, it is not the client that filters.
        using var http = Http();
        using var response = await http.GetAsync(LogsUri("filter=" + Uri.EscapeDataString(filter.ToString()!) + "&limit=1000&since=2000-01-01T00:00:00Z"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expected, doc.RootElement.EnumerateArray().Select(e => e.GetProperty("uuid").GetString()!).ToList());
    }

    [Theory]
    [InlineData("eventType eq")]
    [InlineData("eventType eq \"user.session.start\" and")]
    [InlineData("(severity eq \"WARN\"")]
    [InlineData("nosuchattribute eq \"x\"")]
    public async Task A_malformed_filter_is_a_400_naming_filter_in_the_vendors_error_body(string expression)
    {
        using var http = Http();
        using var response = await http.GetAsync(LogsUri("filter=" + Uri.EscapeDataString(expression)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("E0000031", doc.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains("filter", doc.RootElement.GetProperty("errorSummary").GetString(), StringComparison.Ordinal);
        Assert.True(doc.RootElement.TryGetProperty("errorCauses", out _));
    }

    [Fact]
    public async Task The_api_token_is_accepted_only_under_the_SSWS_scheme()
    {
        using var http = new HttpClient();
        foreach (var (header, status) in new[] { ("SSWS " + Token, HttpStatusCode.OK), ("ssws " + Token, HttpStatusCode.OK), ("Bearer " + Token, HttpStatusCode.Unauthorized), (Token, HttpStatusCode.Unauthorized) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, LogsUri("limit=1"));
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var response = await http.SendAsync(request);
            Assert.True(status == response.StatusCode, $"{header.Split(' ')[0]}: {response.StatusCode}");
        }
    }

    /// <summary>Every event, oldest first, in one page over plain HTTP (not through the client under test).</summary>
    private async Task<List<JsonElement>> AllRawAsync()
    {
        using var http = Http();
        using var response = await http.GetAsync(LogsUri("limit=1000&since=2000-01-01T00:00:00Z"));
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private Uri LogsUri(string query) => new(_mock.ApiBaseAddress(Api), "api/v1/logs?" + query);

    private static HttpClient Http()
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "SSWS " + Token);
        return http;
    }

    /// <summary>
    /// Collects event ids; throws an <see cref="IOException"/> once it holds <see cref="FailAfter"/> of them,
    /// part of a page written (as a process killed mid-write leaves it), and says which it holds.
    /// </summary>
    private sealed class FailingSink(int failAfter) : IEventSink<Okta.LogEvent>
    {
        public List<string> Items { get; } = new();

        public int FailAfter { get; set; } = failAfter;

        public Task WriteAsync(IReadOnlyList<Okta.LogEvent> items, CancellationToken cancellationToken)
        {
            foreach (var item in items)
            {
                if (Items.Count >= FailAfter)
                {
                    throw new IOException("The disk went away.");
                }

                Items.Add(item.Uuid);
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyCollection<string>> GetDeliveredIdsAsync(IReadOnlyCollection<string> candidateIds, Func<Okta.LogEvent, string> idOf, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<string>>(candidateIds.Where(Items.Contains).ToList());
    }
}
