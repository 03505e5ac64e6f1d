using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EventsBindings.MockServer.Faults;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using EventsBindings.Spec.Model;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using Xunit;

namespace EventsBindings.MockServer.WireMock.Tests;

/// <summary>
/// What the engine's admin routes do, reached through the engine's API on either host (WireMock.Net's admin API
/// shadows <c>/__admin/faults</c> and <c>/__admin/ratelimit</c>): fault rules and rate limits; a user's one-off 500
/// in the middle of a walk; credentials in queries (inside lists too) and bodies redacted in both hosts' journals.
/// </summary>
[Collection(HostsCollection.Name)]
public sealed class FaultsAndRedactionTests(HostsFixture hosts)
{
    public static readonly TheoryData<string> Hosts = new() { "kestrel", "wiremock-net" };

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_fault_rule_added_through_the_engine_fires_as_it_says_and_is_counted(string host)
    {
        await using var served = await ServedAsync(host);
        var (api, endpoint) = PlainList();
        var rule = served.Engine.AddFaultRule(new FaultRule { Api = api.Name, Endpoint = endpoint.Name, Fault = "503", Every = 2, RetryAfter = 7 });
        Assert.StartsWith("rule-", rule.Id, StringComparison.Ordinal);

        var statuses = new List<int>();
        string? retryAfter = null;
        for (var i = 0; i < 4; i++)
        {
            using var response = await served.GetAsync(api, endpoint);
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.Equal(new[] { 200, 503, 200, 503 }, statuses);
        Assert.Equal("7", retryAfter);
        var counted = Assert.Single(served.Engine.FaultRules);
        Assert.Equal((4, 2), (counted.Seen, counted.Injected));

        Assert.True(served.Engine.RemoveFaultRule(rule.Id));
        Assert.False(served.Engine.RemoveFaultRule(rule.Id));
        using (var after = await served.GetAsync(api, endpoint))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        Assert.Throws<ArgumentException>(() => served.Engine.AddFaultRule(new FaultRule { Fault = "sometimes" }));
        Assert.Empty(served.Engine.FaultRules);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_delay_rule_delays_only_the_times_it_says(string host)
    {
        await using var served = await ServedAsync(host);
        var (api, endpoint) = PlainList();
        served.Engine.AddFaultRule(new FaultRule { Path = served.Prefix(api) + endpoint.Path, Fault = "delay=600", Times = 1 });

        var watch = Stopwatch.StartNew();
        using (var delayed = await served.GetAsync(api, endpoint))
        {
            Assert.Equal(HttpStatusCode.OK, delayed.StatusCode);
        }

        Assert.True(watch.ElapsedMilliseconds >= 550, $"{watch.ElapsedMilliseconds} ms");
        Assert.Equal(1, Assert.Single(served.Engine.FaultRules).Injected);
        using var second = await served.GetAsync(api, endpoint);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, Assert.Single(served.Engine.FaultRules).Injected);
    }

    [Fact]
    public async Task On_WireMock_a_reset_rule_is_its_empty_response_and_a_truncate_rule_its_malformed_chunk()
    {
        await using var served = await ServedAsync("wiremock-net");
        var (api, endpoint) = PlainList();
        served.Contracts!.AddFaultRule(new FaultRule { Api = api.Name, Fault = "reset", Nth = 1 });
        served.Contracts.AddFaultRule(new FaultRule { Api = api.Name, Fault = "truncate", Nth = 2 });

        using var empty = await served.GetAsync(api, endpoint);
        Assert.Empty(await empty.Content.ReadAsByteArrayAsync());
        using var cut = await served.GetAsync(api, endpoint);
        var text = await cut.Content.ReadAsStringAsync();
        Assert.NotEmpty(text);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.Equal(new[] { 1, 1 }, served.Contracts.FaultRules.Select(r => r.Injected));
        served.Contracts.ClearFaultRules();
        Assert.Empty(served.Contracts.FaultRules);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_rate_limit_set_through_the_engine_throttles_each_credential_with_the_contracts_429(string host)
    {
        await using var served = await ServedAsync(host);
        var (api, endpoint) = PlainList(withoutDeclaredRateLimit: true);
        served.Engine.RateLimitPerSecond = 1;
        Assert.Equal(1, served.Engine.RateLimitPerSecond);

        using (var first = await served.GetAsync(api, endpoint))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var throttled = await served.GetAsync(api, endpoint))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.True(throttled.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }

        served.Engine.RateLimitPerSecond = null;
        using var free = await served.GetAsync(api, endpoint);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
    }

    /// <summary>The override: a user mapping answers one page's request 500 once (a WireMock.Net scenario); the client retries and the walk completes as on Kestrel.</summary>
    [Fact]
    public async Task One_500_mid_walk_from_a_user_mapping_then_the_contract_answers_the_rest()
    {
        var (contract, endpoint, pageSize) = PagedList();
        var wire = await hosts.Kestrel.WholeAsync(contract, endpoint);
        wire[pageSize.WireName] = "40";
        using var onKestrel = ClientDriver.Create(hosts.Kestrel, contract);
        var expected = (await onKestrel.PagesAsync(endpoint, wire)).SelectMany(p => p.Items).Select(i => i.GetRawText()).ToList();
        Assert.True(onKestrel.Handler.Sent.Count >= 3, $"{onKestrel.Handler.Sent.Count} requests: a weak test.");
        var second = onKestrel.Handler.Sent[1];

        await using var served = await ServedAsync("wiremock-net", events: 300);
        var server = served.Contracts!.Server;
        var match = Request.Create().UsingGet().WithPath(second.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(second.Query);
        foreach (var name in query.AllKeys)
        {
            match = match.WithParam(name!, query[name]!);
        }

        server.Given(match)
            .InScenario("one 500 mid-walk")
            .WillSetStateTo("answered once")
            .WithTitle("user: one 500 mid-walk")
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json").WithBody(await ErrorBodyAsync(served, contract, endpoint)));

        using var onWireMock = ClientDriver.Create(served.Contracts.ApiBaseAddress(contract.Name), contract, configure: o =>
        {
            o.Retry.MaxRetries = 2;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Retry.UseJitter = false;
        });
        var walked = (await onWireMock.PagesAsync(endpoint, wire)).SelectMany(p => p.Items).Select(i => i.GetRawText()).ToList();

        Assert.Equal(expected, walked);
        Assert.Equal(onKestrel.Handler.Sent.Count + 1, onWireMock.Handler.Sent.Count);
        using var admin = new HttpClient { BaseAddress = served.Contracts.BaseAddress };
        using var log = JsonDocument.Parse(await admin.GetStringAsync(new Uri("__admin/requests", UriKind.Relative)));
        var statuses = log.RootElement.EnumerateArray()
            .Select(e => (Title: e.TryGetProperty("MappingTitle", out var t) ? t.GetString() : null, Status: e.GetProperty("Response").GetProperty("StatusCode").GetInt32()))
            .ToList();
        Assert.Single(statuses, s => s is { Title: "user: one 500 mid-walk", Status: 500 });
        Assert.Equal(onKestrel.Handler.Sent.Count, statuses.Count(s => s.Title == contract.Name + " " + endpoint.Name && s.Status == 200));
    }

    /// <summary>Query values that carry the API's key: by name, alone under another name, inside a comma list, after an escaped semicolon.</summary>
    public static TheoryData<string, string> LeakyQueries()
    {
        var data = new TheoryData<string, string>();
        foreach (var host in new[] { "kestrel", "wiremock-net" })
        {
            data.Add(host, "other={key}");
            data.Add(host, "other={key},zz");
            data.Add(host, "other=zz%3B{key}");
            data.Add(host, "other=zz;{key}&more=1");
            data.Add(host, "{key}=1");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LeakyQueries))]
    public async Task A_credential_anywhere_in_the_query_is_redacted_in_the_hosts_journal(string host, string query)
    {
        var (api, endpoint) = PlainList();
        var key = Key(api);
        var marker = Guid.NewGuid().ToString("N");
        var request = HostRequest(host, api, endpoint.Path.TrimStart('/') + "?" + query.Replace("{key}", Uri.EscapeDataString(key), StringComparison.Ordinal));
        request.Headers.Add("X-Test-Marker", marker);
        using (request)
        {
            using var response = await HostHttp(host).SendAsync(request);
            Assert.NotEqual(0, (int)response.StatusCode);
        }

        var journal = await JournalTextAsync(host, marker);
        Assert.Contains(marker, journal, StringComparison.Ordinal); // the request is there,
        Assert.DoesNotContain(key, journal, StringComparison.Ordinal); // its credential is not
        Assert.DoesNotContain(Uri.EscapeDataString(key), journal, StringComparison.Ordinal);
        Assert.Contains("***", journal, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_credential_in_the_request_body_is_redacted_in_the_hosts_journal(string host)
    {
        var (api, endpoint) = PlainList();
        var key = Key(api);
        var marker = Guid.NewGuid().ToString("N");
        using var request = HostRequest(host, api, endpoint.Path.TrimStart('/'), HttpMethod.Post);
        request.Headers.Add("X-Test-Marker", marker);
        request.Content = new StringContent("{\"note\":\"my key is " + key + "\",\"list\":[\"a," + key + "\"]}", Encoding.UTF8, "application/json");
        using (var response = await HostHttp(host).SendAsync(request))
        {
            Assert.NotEqual(0, (int)response.StatusCode);
        }

        var journal = await JournalTextAsync(host, marker);
        Assert.Contains(marker, journal, StringComparison.Ordinal);
        Assert.DoesNotContain(key, journal, StringComparison.Ordinal);
        if (host == "wiremock-net")
        {
            Assert.Contains("my key is ***", journal, StringComparison.Ordinal); // WireMock.Net keeps bodies; redacted
        }
    }

    private HttpRequestMessage HostRequest(string host, ContractSpec api, string pathAndQuery, HttpMethod? method = null) =>
        host == "kestrel" ? hosts.Kestrel.Request(api.Name, pathAndQuery, method) : hosts.WireMock.Request(api.Name, pathAndQuery, method);

    private HttpClient HostHttp(string host) => host == "kestrel" ? hosts.Kestrel.Http : hosts.WireMock.Http;

    /// <summary>The host's own journal over HTTP (the engine's /__admin/requests, or WireMock.Net's), only the entries with the marker.</summary>
    private async Task<string> JournalTextAsync(string host, string marker)
    {
        if (host == "kestrel")
        {
            using var doc = JsonDocument.Parse(await hosts.Kestrel.Http.GetStringAsync(new Uri("__admin/requests?limit=2000", UriKind.Relative)));
            return string.Join("\n", doc.RootElement.GetProperty("requests").EnumerateArray().Select(e => e.GetRawText()).Where(t => t.Contains(marker, StringComparison.Ordinal)));
        }

        using var log = JsonDocument.Parse(await hosts.WireMock.Http.GetStringAsync(new Uri("__admin/requests", UriKind.Relative)));
        return string.Join("\n", log.RootElement.EnumerateArray().Select(e => e.GetRawText()).Where(t => t.Contains(marker, StringComparison.Ordinal)));
    }

    /// <summary>The contract's own 500 body for the endpoint (the client validates every answer against the contract).</summary>
    private static async Task<string> ErrorBodyAsync(Served served, ContractSpec contract, EndpointSpec endpoint)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(served.ApiBaseAddress(contract), endpoint.Path.TrimStart('/')));
        request.Headers.Add("X-Mock-Fault", "500");
        using var response = await served.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The API's readable demo credential that is sent as it is.</summary>
    private static string Key(ContractSpec api) =>
        api.Mock!.Credentials.First(c => c.Access == CredentialAccess.Read && api.FindScheme(c.Scheme)!.Kind != AuthKind.RefreshToken).Value;

    /// <summary>A list endpoint without path placeholders whose API takes a plain key (optionally one that declares no rate-limit headers).</summary>
    private static (ContractSpec Api, EndpointSpec Endpoint) PlainList(bool withoutDeclaredRateLimit = false)
    {
        foreach (var contract in Cases.Contracts.Where(c => !withoutDeclaredRateLimit || c.RateLimit is null))
        {
            if (ClientDriver.ReadCredential(contract) is EventsKeyCredential
                && Cases.Callable(contract).FirstOrDefault(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal)) is { } list)
            {
                return (contract, list);
            }
        }

        throw new global::Xunit.Sdk.XunitException("No contract has a plain list endpoint.");
    }

    /// <summary>A list endpoint with a page size and pagination.</summary>
    private static (ContractSpec Contract, EndpointSpec List, ParameterSpec PageSize) PagedList()
    {
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind == ResponseKind.List && e.Pagination is not null && !e.Path.Contains('{', StringComparison.Ordinal)))
            {
                if (endpoint.Pagination!.PageSizeParameter is { } size && endpoint.FindParameter(size) is { In: not ParameterLocation.Path } p)
                {
                    return (contract, endpoint, p);
                }
            }
        }

        throw new global::Xunit.Sdk.XunitException("No contract has a paged list endpoint.");
    }

    /// <summary>A fresh engine on one host (its fault rules and limits are this test's own), 300 items or fewer, the fixture's clock.</summary>
    private async Task<Served> ServedAsync(string host, int events = 40)
    {
        var options = new MockServerOptions { Port = 0, Events = events, Seed = 7, TimeProvider = hosts.Kestrel.Clock };
        if (host == "kestrel")
        {
            var kestrel = new MockServerHost(options);
            await kestrel.StartAsync();
            return new Served(kestrel, null, null);
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = "http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = new[] { url }, StartAdminInterface = true });
        return new Served(null, server, server.AddContracts(options, new WireMockContractOptions { BaseAddress = new Uri(url) }));
    }

    private sealed class Served(MockServerHost? kestrel, WireMockServer? server, WireMockContracts? contracts) : IAsyncDisposable
    {
        public HttpClient Http { get; } = new();

        public WireMockContracts? Contracts => contracts;

        public MockServerEngine Engine => kestrel?.Engine ?? contracts!.Engine;

        private IReadOnlyList<MockApiInfo> Apis => kestrel?.Apis ?? contracts!.Apis;

        public Uri ApiBaseAddress(ContractSpec api) => Apis.Single(a => a.Name == api.Name).BaseAddress;

        public string Prefix(ContractSpec api) => Apis.Single(a => a.Name == api.Name).Prefix;

        public async Task<HttpResponseMessage> GetAsync(ContractSpec api, EndpointSpec endpoint)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ApiBaseAddress(api), endpoint.Path.TrimStart('/')));
            MockServerFixture.Authorize(request, MockServerFixture.ReadableCredential(Apis, api.Name));
            return await Http.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            contracts?.Dispose();
            server?.Stop();
            server?.Dispose();
            if (kestrel is not null)
            {
                await kestrel.DisposeAsync();
            }
        }
    }
}
