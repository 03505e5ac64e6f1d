using System.Net.Http.Headers;
using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using EventsBindings.Tests.OrgLog;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>The mock serving only the test contract <c>tests/fixtures/orglog/orglog.events.yaml</c>, with a fixed clock.</summary>
public sealed class OrgLogFixture : MockServerFixture
{
    public static readonly DateTimeOffset Now = TestMockServerFixture.Now;

    public OrgLogFixture()
        : base(new MockServerOptions { Port = 0, Events = 300, Seed = 7, ContractsDirectory = Path.Combine(AppContext.BaseDirectory, "orglog"), TimeProvider = new FixedTimeProvider(TestMockServerFixture.Now) })
    {
    }

    public static ContractSpec Contract { get; } = ContractReader.ParseFile(Path.Combine(AppContext.BaseDirectory, "orglog", "orglog.events.yaml")).Contract!;

    public const string ApiToken = "orglog-demo-api-token";
    public const string NoReadToken = "orglog-noread-api-token";
    public const string AccessToken = "orglog-demo-access-token";
}

[CollectionDefinition(Name)]
public sealed class OrgLogCollection : ICollectionFixture<OrgLogFixture>
{
    public const string Name = "orglog";
}

/// <summary>
/// A custom Authorization scheme (SSWS) beside bearer, templated servers and a relative default
/// (since = until or now, minus 7 days), against the mock on loopback and through the generated client.
/// </summary>
[Collection(OrgLogCollection.Name)]
public sealed class OrgLogTests(OrgLogFixture fx)
{
    private async Task<(int Status, string Body)> GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fx.ApiBaseAddress("OrgLog"), path));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var (status, body, response) = await fx.SendAsync(request);
        response.Dispose();
        return (status, body);
    }

    [Theory]
    [InlineData("api/v1/logs", "SSWS " + OrgLogFixture.ApiToken, 200)]
    [InlineData("api/v1/logs", "ssws " + OrgLogFixture.ApiToken, 200)]
    [InlineData("api/v1/logs", "Bearer " + OrgLogFixture.AccessToken, 200)]
    [InlineData("api/v1/token-logs", "SSWS " + OrgLogFixture.ApiToken, 200)]
    [InlineData("api/v1/logs", "SSWS " + OrgLogFixture.NoReadToken, 403)]
    [InlineData("api/v1/token-logs", "Bearer " + OrgLogFixture.AccessToken, 401)]
    [InlineData("api/v1/token-logs", "Bearer " + OrgLogFixture.ApiToken, 401)]
    [InlineData("api/v1/logs", "Bearer " + OrgLogFixture.ApiToken, 401)]
    [InlineData("api/v1/logs", "SSWS " + OrgLogFixture.AccessToken, 401)]
    [InlineData("api/v1/logs", "SSWS" + OrgLogFixture.ApiToken, 401)]
    [InlineData("api/v1/logs", "SSWS ", 401)]
    [InlineData("api/v1/logs", "SSWS", 401)]
    [InlineData("api/v1/logs", "SSWSX " + OrgLogFixture.ApiToken, 401)]
    [InlineData("api/v1/logs", null, 401)]
    public async Task A_token_counts_only_under_the_scheme_it_was_declared_with(string path, string? authorization, int expected)
    {
        var (status, body) = await GetAsync(path, authorization);
        Assert.Equal(expected, status);
        if (status == 401)
        {
            using var doc = JsonDocument.Parse(body);
            Assert.Equal("E0000011", doc.RootElement.GetProperty("errorCode").GetString());
        }
    }

    [Fact]
    public async Task The_journal_keeps_the_scheme_and_hides_the_token()
    {
        var marker = Guid.NewGuid().ToString("N");
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fx.ApiBaseAddress("OrgLog"), "api/v1/logs?limit=1")))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "SSWS " + OrgLogFixture.ApiToken);
            request.Headers.Add("X-Journal-Marker", marker);
            (await fx.SendAsync(request)).Response.Dispose();
        }

        var journal = await fx.Http.GetStringAsync(new Uri("__admin/requests?limit=2000", UriKind.Relative));
        Assert.DoesNotContain(OrgLogFixture.ApiToken, journal, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(journal);
        var entry = doc.RootElement.GetProperty("requests").EnumerateArray().Single(r => r.GetProperty("headers").TryGetProperty("X-Journal-Marker", out var m) && m.GetString() == marker);
        Assert.Equal("SSWS ***", entry.GetProperty("headers").GetProperty("Authorization").GetString());
    }

    [Fact]
    public async Task The_fixture_and_the_banner_send_the_demo_token_under_its_scheme()
    {
        var credential = fx.Credential("OrgLog", "ssws");
        Assert.Equal(("Authorization", "SSWS"), (credential.Kind, credential.AuthorizationScheme));
        var (status, _, response) = await fx.GetAsync("OrgLog", "api/v1/token-logs?limit=1");
        response.Dispose();
        Assert.Equal(200, status);
    }

    private async Task<List<string>> IdsAsync(string path)
    {
        var (status, body) = await GetAsync(path, "SSWS " + OrgLogFixture.ApiToken);
        Assert.Equal(200, status);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("uuid").GetString()!).ToList();
    }

    private static string Iso(DateTimeOffset instant) => Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task An_absent_since_is_until_or_now_minus_seven_days()
    {
        var absent = await IdsAsync("api/v1/logs?limit=1000");
        var sent = await IdsAsync($"api/v1/logs?limit=1000&since={Iso(OrgLogFixture.Now.AddDays(-7))}");
        var everything = await IdsAsync("api/v1/logs?limit=1000&since=1970-01-01T00:00:00Z");
        Assert.NotEmpty(absent);
        Assert.Equal(sent, absent);
        Assert.True(absent.Count < everything.Count, $"{absent.Count} of {everything.Count}");

        var until = OrgLogFixture.Now.AddDays(-10);
        var absentWithUntil = await IdsAsync($"api/v1/logs?limit=1000&until={Iso(until)}");
        var sentWithUntil = await IdsAsync($"api/v1/logs?limit=1000&until={Iso(until)}&since={Iso(until.AddDays(-7))}");
        Assert.NotEmpty(absentWithUntil);
        Assert.Equal(sentWithUntil, absentWithUntil);
        Assert.Empty(absentWithUntil.Intersect(absent));
    }

    [Fact]
    public async Task The_oracle_agrees_with_the_relative_default()
    {
        var contract = OrgLogFixture.Contract;
        var endpoint = contract.FindEndpoint("Logs")!;
        var universe = await Walker.AllAsync(fx, contract, endpoint, Universe.Parameters(endpoint));
        var until = OrgLogFixture.Now.AddDays(-3);
        foreach (var values in new[] { new Dictionary<string, string>(), new Dictionary<string, string> { ["until"] = Oracle.WireText(endpoint.FindParameter("until")!.Type, until) } })
        {
            var expected = Universe.Expected(contract, endpoint, values, universe, OrgLogFixture.Now).Select(e => e.GetProperty("uuid").GetString()!).ToList();
            var query = string.Join("&", values.Select(kv => kv.Key + "=" + Uri.EscapeDataString(kv.Value)).Append("limit=1000"));
            Assert.Equal(expected, await IdsAsync("api/v1/logs?" + query));
        }
    }

    // ---- the generated client ----

    private OrgLogClient Client(EventsCredential credential, RecordingHandler handler, string? scheme = null)
    {
        var http = new HttpClient(handler);
        return new OrgLogClient(http, fx.ApiBaseAddress("OrgLog"), credential, new OrgLogClientOptions { AuthScheme = scheme, Retry = { MaxRetries = 0 } });
    }

    [Fact]
    public async Task The_client_sends_the_api_token_under_its_scheme_by_default()
    {
        var handler = new RecordingHandler();
        var client = Client(new EventsKeyCredential(OrgLogFixture.ApiToken), handler);
        var page = await client.GetTokenLogsAsync(new TokenLogsQuery { Limit = 5 }).AsPages().FirstAsync();
        Assert.Equal(5, page.Items.Count);
        Assert.Equal("SSWS " + OrgLogFixture.ApiToken, handler.Requests[^1].Authorization);
    }

    [Fact]
    public async Task The_client_sends_an_access_token_as_bearer_when_asked()
    {
        var handler = new RecordingHandler();
        var client = Client(new EventsKeyCredential(OrgLogFixture.AccessToken), handler, OrgLogAuthSchemes.Oauth);
        var page = await client.GetLogsAsync(new LogsQuery { Limit = 5 }).AsPages().FirstAsync();
        Assert.NotEmpty(page.Items);
        Assert.Equal("Bearer " + OrgLogFixture.AccessToken, handler.Requests[^1].Authorization);
    }

    [Fact]
    public async Task A_token_under_the_wrong_scheme_is_an_authentication_error_without_the_token()
    {
        var handler = new RecordingHandler();
        var client = Client(new EventsKeyCredential(OrgLogFixture.AccessToken), handler, OrgLogAuthSchemes.Ssws);
        var ex = await Assert.ThrowsAsync<EventsAuthenticationException>(async () => await client.GetLogsAsync(new LogsQuery { Limit = 5 }).AsPages().FirstAsync());
        Assert.Equal(401, ex.Status);
        Assert.DoesNotContain(OrgLogFixture.AccessToken, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_leaves_since_to_the_server_and_gets_the_default_window()
    {
        var handler = new RecordingHandler();
        var client = Client(new EventsKeyCredential(OrgLogFixture.ApiToken), handler);
        var items = new List<string>();
        await foreach (var e in client.GetLogsAsync(new LogsQuery { Limit = 50 }))
        {
            items.Add(e.Uuid);
        }

        Assert.DoesNotContain(handler.Requests, r => r.Uri.Query.Contains("since", StringComparison.Ordinal));
        Assert.Equal(await IdsAsync($"api/v1/logs?limit=1000&since={Iso(OrgLogFixture.Now.AddDays(-7))}"), items);
    }

    [Fact]
    public void Templated_servers_have_typed_factories()
    {
        Assert.Equal(new Uri("https://example.orglog.test"), OrgLogServers.Org());
        Assert.Equal(new Uri("https://acme.orglog.test"), OrgLogServers.Org("acme.orglog.test"));
        Assert.Equal(new Uri("https://eu.logs.example.com/t1/v1"), OrgLogServers.Regional("t1"));
        Assert.Equal(new Uri("https://us.logs.example.com/t1/v1"), OrgLogServers.Regional("t1", "us"));
        Assert.Equal(OrgLogServers.Org(), OrgLogServers.GetUri(OrgLogServer.Org));
    }

    [Theory]
    [InlineData("evil.test/steal")]
    [InlineData("evil.test?x=")]
    [InlineData("evil.test#")]
    [InlineData("user@evil.test")]
    [InlineData("a b")]
    [InlineData("")]
    public void A_server_variable_value_cannot_inject_a_url(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => OrgLogServers.Org(value));
        Assert.Equal("orgDomain", ex.ParamName);
        var options = new OrgLogClientOptions();
        options.ServerVariables["orgDomain"] = value;
        Assert.Equal("orgDomain", Assert.Throws<ArgumentException>(() => new OrgLogClient(new EventsKeyCredential(OrgLogFixture.ApiToken), options)).ParamName);
    }

    [Fact]
    public void A_value_outside_the_enum_is_refused()
    {
        Assert.Equal("region", Assert.Throws<ArgumentException>(() => OrgLogServers.Regional("t1", "ap")).ParamName);
    }

    [Fact]
    public void A_missing_variable_without_default_fails_at_client_construction()
    {
        var options = new OrgLogClientOptions { Server = OrgLogServer.Regional };
        var ex = Assert.Throws<InvalidOperationException>(() => new OrgLogClient(new EventsKeyCredential(OrgLogFixture.ApiToken), options));
        Assert.Contains("'tenant'", ex.Message, StringComparison.Ordinal);
        options.ServerVariables["tenant"] = "t1";
        Assert.Equal(new Uri("https://eu.logs.example.com/t1/v1"), new OrgLogClient(new EventsKeyCredential(OrgLogFixture.ApiToken), options).Endpoint);
        Assert.Equal(new Uri("https://example.orglog.test"), new OrgLogClient(new EventsKeyCredential(OrgLogFixture.ApiToken)).Endpoint);
    }
}
