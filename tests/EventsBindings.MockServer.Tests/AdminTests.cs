using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>A server of its own for tests that change server state (faults, throttling, data).</summary>
public sealed class AdminFixture : TestMockServerFixture
{
}

[CollectionDefinition(Name)]
public sealed class AdminCollection : ICollectionFixture<AdminFixture>
{
    public const string Name = "admin";
}

/// <summary>Faults on demand and by rule, throttling, the journal, data append, reset, health.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminTests : IAsyncLifetime
{
    private readonly AdminFixture _fx;

    public AdminTests(AdminFixture fx) => _fx = fx;

    public async Task InitializeAsync() => (await _fx.Http.PostAsync("/__admin/reset", null)).EnsureSuccessStatusCode();

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpRequestMessage WithFault(string api, string path, string fault)
    {
        var request = _fx.Request(api, path);
        request.Headers.Add("X-Mock-Fault", fault);
        return request;
    }

    [Theory]
    [InlineData("AdminByRequest", 429)]
    [InlineData("AdminByRequest", 500)]
    [InlineData("Banyan", 429)]
    [InlineData("Banyan", 500)]
    public async Task A_status_fault_answers_with_the_contracts_error(string api, int code)
    {
        var (status, body, response) = await _fx.SendAsync(WithFault(api, "/events", code.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(code, status);
        var error = TestContracts.Get(api).Errors.Single(e => e.Status == code);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(error.Body!), JsonNode.Parse(body)));
        foreach (var header in error.Headers)
        {
            Assert.Equal(header.Value, response.Headers.GetValues(header.Name).Single());
        }
    }

    [Fact]
    public async Task A_delay_fault_delays_then_answers()
    {
        var watch = Stopwatch.StartNew();
        var (status, _, _) = await _fx.SendAsync(WithFault("Banyan", "/events?limit=1", "delay=300"));
        Assert.Equal(200, status);
        Assert.True(watch.ElapsedMilliseconds >= 280, watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_reset_fault_drops_the_connection()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => _fx.Http.SendAsync(WithFault("Banyan", "/events", "reset")));
    }

    [Fact]
    public async Task A_truncate_fault_cuts_the_body()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            var response = await _fx.Http.SendAsync(WithFault("AdminByRequest", "/events", "truncate"));
            var text = await response.Content.ReadAsStringAsync();
            JsonDocument.Parse(text);
        });
        Assert.True(ex is HttpRequestException or IOException or JsonException, ex?.GetType().Name ?? "no exception");
    }

    [Fact]
    public async Task A_malformed_fault_sends_invalid_json()
    {
        var (status, body, _) = await _fx.SendAsync(WithFault("Banyan", "/events", "malformed"));
        Assert.Equal(200, status);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task A_rule_throttles_every_third_request_with_retry_after()
    {
        var rule = await _fx.Http.PostAsJsonAsync("/__admin/faults", new { api = "AdminByRequest", endpoint = "Events", fault = "429", every = 3, retryAfter = 2 });
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        var statuses = new List<int>();
        for (var i = 0; i < 9; i++)
        {
            var (status, _, response) = await _fx.GetAsync("AdminByRequest", "/events?take=1");
            statuses.Add(status);
            if (status == 429)
            {
                Assert.Equal("2", response.Headers.GetValues("Retry-After").Single());
            }
        }

        Assert.Equal(new[] { 200, 200, 429, 200, 200, 429, 200, 200, 429 }, statuses);
        // Other endpoints are not affected.
        Assert.Equal(200, (await _fx.GetAsync("AdminByRequest", "/events/53820480")).Status);
    }

    [Fact]
    public async Task A_rule_fails_the_third_page_once()
    {
        await _fx.Http.PostAsJsonAsync("/__admin/faults", new { path = "/banyan/api/v1/events", fault = "500", nth = 3 });
        var statuses = new List<int>();
        for (var skip = 0; skip < 5; skip++)
        {
            statuses.Add((await _fx.GetAsync("Banyan", $"/events?limit=10&skip={skip * 10}")).Status);
        }

        Assert.Equal(new[] { 200, 200, 500, 200, 200 }, statuses);
        var rules = JsonDocument.Parse(await _fx.Http.GetStringAsync("/__admin/faults")).RootElement.GetProperty("rules");
        Assert.Equal(1, rules[0].GetProperty("injected").GetInt32());
    }

    [Fact]
    public async Task The_rate_limiter_throttles_per_credential()
    {
        (await _fx.Http.PutAsJsonAsync("/__admin/ratelimit", new { perSecond = 3 })).EnsureSuccessStatusCode();
        try
        {
            var statuses = new List<int>();
            for (var i = 0; i < 6; i++)
            {
                statuses.Add((await _fx.GetAsync("AdminByRequest", "/events?take=1")).Status);
            }

            Assert.Equal(new[] { 200, 200, 200 }, statuses.Take(3));
            Assert.Contains(429, statuses.Skip(3));
            var (status, _, response) = await _fx.GetAsync("AdminByRequest", "/events?take=1");
            Assert.Equal(429, status);
            Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) >= 1);

            // Another credential has its own bucket.
            Assert.Equal(200, (await _fx.GetAsync("Banyan", "/events?limit=1")).Status);
        }
        finally
        {
            await _fx.Http.DeleteAsync("/__admin/ratelimit");
        }
    }

    [Fact]
    public async Task The_journal_records_requests_with_secrets_redacted()
    {
        await _fx.GetAsync("AdminByRequest", "/events?take=2&colour=blue");
        var bearer = _fx.Request("Banyan", "/events?limit=1");
        await _fx.SendAsync(bearer);

        var journal = JsonDocument.Parse(await _fx.Http.GetStringAsync("/__admin/requests")).RootElement.GetProperty("requests");
        Assert.Equal(2, journal.GetArrayLength());
        var text = journal.GetRawText();
        Assert.DoesNotContain("abr-demo-key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("banyan-demo-token", text, StringComparison.Ordinal);
        var abr = journal.EnumerateArray().Single(r => r.GetProperty("api").GetString() == "AdminByRequest");
        Assert.Equal("***", abr.GetProperty("headers").GetProperty("apikey").GetString());
        Assert.Equal("Events", abr.GetProperty("endpoint").GetString());
        Assert.Equal(new[] { "colour" }, abr.GetProperty("unknownParameters").EnumerateArray().Select(e => e.GetString()));
        var banyan = journal.EnumerateArray().Single(r => r.GetProperty("api").GetString() == "Banyan");
        Assert.Equal("Bearer ***", banyan.GetProperty("headers").GetProperty("Authorization").GetString());

        var found = await _fx.Http.PostAsJsonAsync("/__admin/requests/find", new { api = "Banyan" });
        var requests = JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement.GetProperty("requests");
        Assert.Equal(1, requests.GetArrayLength());

        (await _fx.Http.DeleteAsync("/__admin/requests")).EnsureSuccessStatusCode();
        Assert.Equal(0, JsonDocument.Parse(await _fx.Http.GetStringAsync("/__admin/requests")).RootElement.GetProperty("requests").GetArrayLength());
    }

    [Fact]
    public async Task The_journal_records_ignored_parameters_and_refusals()
    {
        await _fx.GetAsync("AdminByRequest", "/events?days=3&startdate=2025-06-01");
        await _fx.GetAsync("AdminByRequest", "/events?take=0");
        var journal = JsonDocument.Parse(await _fx.Http.GetStringAsync("/__admin/requests")).RootElement.GetProperty("requests").EnumerateArray().ToList();
        Assert.Contains(journal, r => r.GetProperty("ignoredParameters").EnumerateArray().Any(p => p.GetString() == "days"));
        Assert.Contains(journal, r => r.GetProperty("status").GetInt32() == 400 && r.GetProperty("error").GetString()!.Contains("take", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Appended_items_are_found_by_an_incremental_cursor()
    {
        var contract = TestContracts.Get("AdminByRequest");
        var events = contract.FindEndpoint("Events")!;
        var before = await Walker.AllAsync(_fx, contract, events, new Dictionary<string, string>());
        var next = before.Max(i => i.GetProperty("id").GetInt64()) + 1;

        var response = await _fx.Http.PostAsJsonAsync("/__admin/items/AdminByRequest", new { count = 5 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToList();
        Assert.Equal(5, ids.Count);

        var after = await Walker.AllAsync(_fx, contract, events, new Dictionary<string, string> { ["startid"] = next.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(ids, after.Select(i => i.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Appended_items_of_a_time_cursor_api_are_found_after_the_last_time()
    {
        var (_, body, _) = await _fx.GetAsync("Banyan", "/events?limit=1");
        var newest = JsonDocument.Parse(body).RootElement.GetProperty("data")[0].GetProperty("created_at").GetInt64();
        var item = new JsonObject { ["type"] = "Audit", ["severity"] = "INFO", ["action"] = "Grant", ["sub_type"] = "UserPrincipal", ["message"] = "added by a test" };
        var response = await _fx.Http.PostAsJsonAsync("/__admin/items/Banyan", new JsonArray(item));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var (_, found, _) = await _fx.GetAsync("Banyan", $"/events?order=ASC&after={newest}");
        var data = JsonDocument.Parse(found).RootElement.GetProperty("data");
        Assert.Equal(1, data.GetArrayLength());
        Assert.Equal("added by a test", data[0].GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(data[0].GetProperty("id").GetString()));

        // Reset restores the dataset.
        await _fx.Http.PostAsync("/__admin/reset", null);
        var (_, again, _) = await _fx.GetAsync("Banyan", $"/events?after={newest}");
        Assert.Equal(0, JsonDocument.Parse(again).RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Health_lists_the_apis_with_their_credentials()
    {
        var health = JsonDocument.Parse(await _fx.Http.GetStringAsync("/__admin/health")).RootElement;
        Assert.Equal("ok", health.GetProperty("status").GetString());
        var prefixes = health.GetProperty("apis").EnumerateArray().Select(a => a.GetProperty("prefix").GetString()).ToList();
        foreach (var contract in TestContracts.Specs)
        {
            Assert.Contains(contract.Mock!.Prefix, prefixes);
        }
    }
}
