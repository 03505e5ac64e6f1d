using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>The mock server with its default options: the dataset a real client meets on <c>dotnet run --project cli/EventsBindings.Cli -- serve</c>.</summary>
public sealed class DefaultMockServerFixture : MockServerFixture
{
}

/// <summary>
/// Real clients that nobody here wrote, replayed against the mock over raw HTTP: the same requests,
/// the same header shapes and the same parsing limits, so that the mock lets them pass unchanged.
/// <list type="bullet">
/// <item><description>
/// The official Banyan Python SDK, <c>pybanyan</c> 0.29.x (source of the behaviour encoded here; it
/// cannot be installed on these machines, and none of its code is copied). Its
/// <c>BanyanApiClient(api_url=..., api_key=...)</c> POSTs <c>/refresh_token</c> with
/// <c>Authorization: Bearer &lt;api key&gt;</c> and uses the answer's <c>Message</c> as its access token;
/// its event listing pages with lowercase <c>skip</c>/<c>limit</c> (1000) until a short page, filters by
/// <c>type</c>, <c>sub_type</c>, <c>action</c>, <c>user_email</c>, <c>device_id</c>, <c>serialnumber</c>,
/// <c>severity</c> and <c>before</c>/<c>after</c> in epoch milliseconds, sends <c>order</c> in lower case,
/// and in its date-range mode asks <c>/events/count</c> first, then moves <c>after</c> to the last
/// <c>created_at</c> it saw and drops ids it already holds until nothing new comes. Its event model
/// rejects a <c>type</c> outside Access, Identity, Registration, TrustScoring, Audit, AdminLogin, and
/// reads <c>created_at</c> and <c>policy.attached_at</c> as milliseconds, <c>role[].bound_at</c> and
/// <c>trustscore.timestamp</c> as nanoseconds.
/// </description></item>
/// <item><description>
/// Python clients of Admin By Request, which parse <c>eventTime</c> and <c>eventTimeUTC</c> with
/// <c>strptime(..., "%Y-%m-%dT%H:%M:%S.%f")</c>: 1 to 6 fraction digits, never the 7 of a .NET tick.
/// </description></item>
/// </list>
/// </summary>
public sealed class RealClientInteropTests(DefaultMockServerFixture fx) : IClassFixture<DefaultMockServerFixture>
{
    /// <summary>The event types pybanyan 0.29.x accepts (its model validates <c>type</c> against a closed set).</summary>
    private static readonly HashSet<string> SdkEventTypes = new(StringComparer.Ordinal) { "Access", "Identity", "Registration", "TrustScoring", "Audit", "AdminLogin" };

    /// <summary>The severities its model accepts.</summary>
    private static readonly HashSet<string> SdkSeverities = new(StringComparer.Ordinal) { "DEBUG", "INFO", "WARN", "ERROR" };

    /// <summary>The page size pybanyan's paged listing sends.</summary>
    private const int SdkLimit = 1000;

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An HTTP client as the SDK's session is set up: the API base URL, <c>Accept: application/json</c>.</summary>
    private HttpClient SdkSession()
    {
        var http = new HttpClient { BaseAddress = fx.ApiBaseAddress("Banyan") };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    /// <summary><c>BanyanApiClient(api_key=...)</c>'s first request: the API key exchanged for an access token.</summary>
    private async Task<string> AccessTokenAsync(HttpClient http)
    {
        MockCredentialInfo key = fx.Credential("Banyan", "bearer");
        Assert.Equal("Bearer", key.Kind);
        using var exchange = new HttpRequestMessage(HttpMethod.Post, "refresh_token");
        exchange.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Value);
        using var response = await http.SendAsync(exchange);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /refresh_token with the API key: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        var token = doc.RootElement.GetProperty("Message").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        return token!;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string token, string path, IEnumerable<KeyValuePair<string, string>> query)
    {
        var uri = path + "?" + string.Join("&", query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {uri}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>The SDK's paged listing: skip 0, 1000, 2000, … with limit 1000, until a page shorter than the limit.</summary>
    private static async Task<List<JsonElement>> ListPagedAsync(HttpClient http, string token, IReadOnlyDictionary<string, string> filters)
    {
        var events = new List<JsonElement>();
        for (var skip = 0; ; skip += SdkLimit)
        {
            var query = filters.Concat(new Dictionary<string, string>
            {
                ["skip"] = skip.ToString(CultureInfo.InvariantCulture),
                ["limit"] = SdkLimit.ToString(CultureInfo.InvariantCulture),
            });
            var page = (await GetAsync(http, token, "events", query)).GetProperty("data").EnumerateArray().ToList();
            events.AddRange(page);
            if (page.Count < SdkLimit)
            {
                return events;
            }

            Assert.True(skip < 1_000_000, "The listing does not end.");
        }
    }

    /// <summary>Holds one event to what the SDK's event model accepts.</summary>
    private static void AssertSdkReads(JsonElement e)
    {
        var id = e.GetProperty("id").GetString();
        Assert.True(Guid.TryParse(id, out _), $"id '{id}' is not a UUID.");
        Assert.True(Guid.TryParse(e.GetProperty("org_id").GetString(), out _), $"{id}: org_id is not a UUID.");
        var type = e.GetProperty("type").GetString()!;
        Assert.True(SdkEventTypes.Contains(type), $"{id}: type '{type}' is outside the SDK's closed set ({string.Join(", ", SdkEventTypes)}).");
        var severity = e.GetProperty("severity").GetString()!;
        Assert.True(SdkSeverities.Contains(severity), $"{id}: severity '{severity}' is outside the SDK's set.");
        foreach (var name in new[] { "org_name", "sub_type", "action", "message", "result" })
        {
            Assert.True(e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String, $"{id}: {name} is not a string.");
        }

        Assert.Equal(JsonValueKind.Object, e.GetProperty("user_principal").ValueKind);
        AssertEpoch(id, "created_at", e.GetProperty("created_at"), millis: true, zeroAllowed: false);
        if (e.TryGetProperty("policy", out var policy) && policy.ValueKind == JsonValueKind.Object)
        {
            AssertEpoch(id, "policy.attached_at", policy.GetProperty("attached_at"), millis: true, zeroAllowed: true);
        }

        if (e.TryGetProperty("trustscore", out var score) && score.ValueKind == JsonValueKind.Object)
        {
            AssertEpoch(id, "trustscore.timestamp", score.GetProperty("timestamp"), millis: false, zeroAllowed: true);
        }

        if (e.TryGetProperty("role", out var roles) && roles.ValueKind == JsonValueKind.Array)
        {
            foreach (var role in roles.EnumerateArray())
            {
                Assert.True(Guid.TryParse(role.GetProperty("id").GetString(), out _), $"{id}: role id is not a UUID.");
                AssertEpoch(id, "role[].bound_at", role.GetProperty("bound_at"), millis: false, zeroAllowed: true);
            }
        }
    }

    /// <summary>An integer that, read in the SDK's unit, is an instant of this century (or 0, "never", where real events carry it).</summary>
    private static void AssertEpoch(string? id, string name, JsonElement value, bool millis, bool zeroAllowed)
    {
        Assert.True(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number), $"{id}: {name} is not an integer.");
        number = value.GetInt64();
        if (number == 0 && zeroAllowed)
        {
            return;
        }

        var instant = millis ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.UnixEpoch.AddTicks(number / 100);
        Assert.True(instant > Earliest && instant < Latest, $"{id}: {name} = {number} read as epoch {(millis ? "milliseconds" : "nanoseconds")} is {instant:O}.");
    }

    [Fact]
    public async Task Pybanyan_exchanges_its_api_key_then_lists_every_event_and_reads_each()
    {
        using var http = SdkSession();
        var token = await AccessTokenAsync(http);
        var events = await ListPagedAsync(http, token, new Dictionary<string, string>());
        Assert.True(events.Count >= fx.Options.Events, $"The paged listing returned {events.Count} events, fewer than the {fx.Options.Events} synthetic ones.");
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("id").GetString()).Distinct(StringComparer.Ordinal).Count());
        foreach (var e in events)
        {
            AssertSdkReads(e);
        }

        // order in lower case, both ways.
        var ascending = await ListPagedAsync(http, token, new Dictionary<string, string> { ["order"] = "asc" });
        var descending = await ListPagedAsync(http, token, new Dictionary<string, string> { ["order"] = "desc" });
        Assert.Equal(events.Count, ascending.Count);
        Assert.Equal(ascending.Select(CreatedAt), ascending.Select(CreatedAt).Order());
        Assert.Equal(descending.Select(CreatedAt), descending.Select(CreatedAt).OrderDescending());
    }

    private static long CreatedAt(JsonElement e) => e.GetProperty("created_at").GetInt64();

    private static string? At(JsonElement e, string path)
    {
        var node = e;
        foreach (var step in path.Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(step, out node))
            {
                return null;
            }
        }

        return node.ValueKind == JsonValueKind.String ? node.GetString() : null;
    }

    [Fact]
    public async Task Pybanyan_filters_return_what_they_select_and_the_sdk_reads_it()
    {
        using var http = SdkSession();
        var token = await AccessTokenAsync(http);
        var all = await ListPagedAsync(http, token, new Dictionary<string, string>());

        // The SDK's filter arguments and the event field each one selects on; values are taken from the listing.
        var filters = new (string Parameter, string Path)[]
        {
            ("type", "type"), ("sub_type", "sub_type"), ("action", "action"), ("user_email", "user_principal.user.email"),
            ("device_id", "user_principal.device.id"), ("serialnumber", "user_principal.device.serial_number"),
        };
        foreach (var (parameter, path) in filters)
        {
            var value = all.Select(e => At(e, path)).OfType<string>().GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key;
            var selected = await ListPagedAsync(http, token, new Dictionary<string, string> { [parameter] = value, ["order"] = "asc" });
            Assert.True(selected.Count > 0, $"{parameter}={value} selected nothing.");
            Assert.All(selected, e => Assert.Equal(value, At(e, path)));
            Assert.Equal(all.Count(e => At(e, path) == value), selected.Count);
            selected.ForEach(AssertSdkReads);
        }

        var warn = await ListPagedAsync(http, token, new Dictionary<string, string> { ["severity"] = "WARN" });
        Assert.NotEmpty(warn);
        Assert.All(warn, e => Assert.Contains(e.GetProperty("severity").GetString(), new[] { "WARN", "ERROR" }));
    }

    [Fact]
    public async Task Pybanyan_date_range_mode_collects_every_event_between_before_and_after()
    {
        using var http = SdkSession();
        var token = await AccessTokenAsync(http);
        var all = await ListPagedAsync(http, token, new Dictionary<string, string>());
        var times = all.Select(CreatedAt).Order().ToList();
        var after = times[times.Count / 4];
        var before = times[3 * times.Count / 4];

        // The SDK's date-range mode: order=asc, a count first, then pages (the server's default limit)
        // whose 'after' moves to the last created_at seen, ids already held dropped, until nothing new.
        var range = new Dictionary<string, string>
        {
            ["before"] = before.ToString(CultureInfo.InvariantCulture),
            ["after"] = after.ToString(CultureInfo.InvariantCulture),
            ["order"] = "asc",
        };
        var count = (await GetAsync(http, token, "events/count", range)).GetProperty("data").GetInt64();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var collected = new List<JsonElement>();
        for (var requests = 0; long.Parse(range["after"], CultureInfo.InvariantCulture) < before; requests++)
        {
            Assert.True(requests < 10_000, "The date-range walk does not end.");
            var page = (await GetAsync(http, token, "events", range)).GetProperty("data").EnumerateArray()
                .Where(e => !seen.Contains(e.GetProperty("id").GetString()!)).ToList();
            if (page.Count == 0)
            {
                break;
            }

            collected.AddRange(page);
            seen.UnionWith(page.Select(e => e.GetProperty("id").GetString()!));
            range["after"] = CreatedAt(page[^1]).ToString(CultureInfo.InvariantCulture);
        }

        collected.ForEach(AssertSdkReads);
        var expected = all.Where(e => CreatedAt(e) > after && CreatedAt(e) < before).Select(e => e.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, collected.Select(e => e.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ToList());
        Assert.True(count == expected.Count || count == 10001, $"/events/count said {count}, the range holds {expected.Count}.");
    }

    [Fact]
    public async Task Admin_by_request_timestamps_parse_with_python_percent_f()
    {
        // A Python client of Admin By Request: the 'apikey' header, startid/take paging (highest id + 1),
        // a startdate before every event so that the 30-day default window does not hide any.
        var key = fx.Credential("AdminByRequest", "apiKey");
        using var http = new HttpClient { BaseAddress = fx.ApiBaseAddress("AdminByRequest") };
        http.DefaultRequestHeaders.Add(key.Header!, key.Value);
        var events = new List<JsonElement>();
        const int take = 1000;
        for (long startid = 0; ;)
        {
            var body = await http.GetStringAsync(new Uri($"events?startid={startid}&take={take}&startdate=2000-01-01", UriKind.Relative));
            var page = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
            events.AddRange(page);
            if (page.Count < take)
            {
                break;
            }

            startid = page[^1].GetProperty("id").GetInt64() + 1;
        }

        Assert.True(events.Count >= fx.Options.Events);
        foreach (var e in events)
        {
            foreach (var name in new[] { "eventTime", "eventTimeUTC" })
            {
                var text = e.GetProperty(name).GetString()!;
                Assert.True(PythonStrptime.TryParse(text, PythonStrptime.IsoWithFraction, out _), $"event {e.GetProperty("id")}: {name} '{text}' does not parse with strptime('{PythonStrptime.IsoWithFraction}').");
            }
        }
    }

    [Fact]
    public void The_strict_percent_f_rule_is_pythons()
    {
        Assert.True(PythonStrptime.TryParse("2022-01-23T15:49:20.597", PythonStrptime.IsoWithFraction, out var parsed));
        Assert.Equal(new DateTime(2022, 1, 23, 15, 49, 20, 597), parsed);
        Assert.True(PythonStrptime.TryParse("2022-01-23T15:49:20.597123", PythonStrptime.IsoWithFraction, out _));
        Assert.True(PythonStrptime.TryParse("2022-01-23T15:49:20.5", PythonStrptime.IsoWithFraction, out _));
        Assert.False(PythonStrptime.TryParse("2022-01-23T15:49:20.5970000", PythonStrptime.IsoWithFraction, out _));
        Assert.False(PythonStrptime.TryParse("2022-01-23T15:49:20", PythonStrptime.IsoWithFraction, out _));
        Assert.False(PythonStrptime.TryParse("2022-01-23T15:49:20.597Z", PythonStrptime.IsoWithFraction, out _));
        Assert.False(PythonStrptime.TryParse("2022-02-30T15:49:20.597", PythonStrptime.IsoWithFraction, out _));
    }
}
