using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
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
/// The adapter on a user's own <see cref="WireMockServer"/>: the contracts' mappings beside the user's, which
/// win where they match; WireMock.Net's admin API lists the mappings and journals the requests with every
/// credential redacted as the engine's journal redacts them.
/// </summary>
[Collection(HostsCollection.Name)]
public sealed class WireMockServerTests(HostsFixture hosts)
{
    private const string Marker = "X-Test-Marker";

    /// <summary>The "done when": both contracts, every endpoint, one override, the admin journal, the same answers as Kestrel.</summary>
    [Fact]
    public async Task A_users_server_serves_both_contracts_overrides_one_request_and_journals_it_redacted()
    {
        using var server = StartServer();
        using var contracts = server.AddContracts(new MockServerOptions { Events = 300, Seed = 7, TimeProvider = hosts.Kestrel.Clock });
        Assert.Equal(Cases.Contracts.Select(c => c.Name).Order(StringComparer.Ordinal), contracts.Apis.Select(a => a.Name));

        // Every endpoint, through the generated clients, answers as the Kestrel host over the same dataset.
        var walked = 0;
        foreach (var contract in Cases.Contracts)
        {
            using var onKestrel = ClientDriver.Create(hosts.Kestrel, contract);
            using var onWireMock = ClientDriver.Create(contracts.ApiBaseAddress(contract.Name), contract);
            foreach (var endpoint in Cases.Callable(contract))
            {
                var wire = await hosts.Kestrel.WholeAsync(contract, endpoint);
                Assert.Equal((await onKestrel.CallAsync(endpoint, wire)).GetRawText(), (await onWireMock.CallAsync(endpoint, wire)).GetRawText());
                walked++;
            }
        }

        Assert.Equal(Cases.Contracts.Sum(c => Cases.Callable(c).Count()), walked);

        // A user mapping at WireMock.Net's default priority overrides the contract for the one request it matches.
        var (api, list, pageSize) = PagedList();
        var prefix = contracts.Apis.Single(a => a.Name == api.Name).Prefix;

        // The stub's body is the contract's 500 body (the clients validate every answer against the contract's schemas).
        using var sample = new HttpRequestMessage(HttpMethod.Get, new Uri(contracts.ApiBaseAddress(api.Name), list.Path.TrimStart('/')));
        sample.Headers.Add("X-Mock-Fault", "500");
        using var plain = new HttpClient();
        using var sampled = await plain.SendAsync(sample);
        var errorBody = await sampled.Content.ReadAsStringAsync();
        Assert.Equal(500, (int)sampled.StatusCode);
        server.Given(Request.Create().UsingGet().WithPath(prefix + list.Path).WithParam(pageSize.WireName, "2"))
            .WithTitle("user: one 500")
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json").WithBody(errorBody.Replace("Injected fault 500.", "Stubbed by the user.", StringComparison.Ordinal)));
        using var client = ClientDriver.Create(contracts.ApiBaseAddress(api.Name), api);
        var marker = Guid.NewGuid().ToString("N");
        client.Handler.Headers[Marker] = marker;
        var failed = await Assert.ThrowsAnyAsync<EventsRequestException>(() => client.PageAsync(list, new Dictionary<string, string> { [pageSize.WireName] = "2" }));
        Assert.Equal(500, failed.Status);
        var page = await client.PageAsync(list, new Dictionary<string, string> { [pageSize.WireName] = "3" });
        Assert.Equal(3, page.Items.Count);
        using var onKestrelToo = ClientDriver.Create(hosts.Kestrel, api);
        Assert.Equal(
            JsonSerializer.Serialize((await onKestrelToo.PageAsync(list, new Dictionary<string, string> { [pageSize.WireName] = "3" })).Items),
            JsonSerializer.Serialize(page.Items));

        // WireMock.Net's own admin API: the contract mappings, and both requests journaled with the API key redacted.
        using var admin = new HttpClient { BaseAddress = contracts.BaseAddress };
        var mappings = await admin.GetStringAsync(new Uri("__admin/mappings", UriKind.Relative));
        foreach (var route in contracts.Engine.Routes)
        {
            Assert.Contains(JsonSerializer.Serialize(route.Api + " " + route.Endpoint).Trim('"'), mappings, StringComparison.Ordinal);
        }

        var journaled = await JournaledAsync(admin, marker);
        Assert.Equal(2, journaled.Count);
        Assert.Contains(journaled, e => e.GetProperty("MappingTitle").GetString() == "user: one 500" && e.GetProperty("Response").GetProperty("StatusCode").GetInt32() == 500);
        Assert.Contains(journaled, e => e.GetProperty("MappingTitle").GetString() == api.Name + " " + list.Name && e.GetProperty("Response").GetProperty("StatusCode").GetInt32() == 200);
        var key = api.Mock!.Credentials.First(c => c.Access == CredentialAccess.Read && api.FindScheme(c.Scheme)!.Kind != AuthKind.RefreshToken).Value;
        var text = string.Join("\n", journaled.Select(e => e.GetRawText()));
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.Contains("***", text, StringComparison.Ordinal);
    }

    /// <summary>Every demo credential that is sent as it is (API, scheme, index among the API's credentials: no value in a test name).</summary>
    public static TheoryData<string, string, int> Credentials
    {
        get
        {
            var data = new TheoryData<string, string, int>();
            foreach (var contract in Cases.Contracts)
            {
                var credentials = contract.Mock!.Credentials;
                for (var i = 0; i < credentials.Count; i++)
                {
                    if (contract.FindScheme(credentials[i].Scheme)!.Kind != AuthKind.RefreshToken)
                    {
                        data.Add(contract.Name, credentials[i].Scheme, i);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task Every_credential_is_redacted_in_WireMocks_request_log(string api, string scheme, int index)
    {
        var wm = hosts.WireMock;
        var contract = TestContracts.Get(api);
        var credential = wm.Apis.Single(a => a.Name == api).Credentials[index];
        Assert.Equal(scheme, credential.Scheme);
        var endpoint = Cases.Callable(contract).First(e => !e.Path.Contains('{', StringComparison.Ordinal));
        var marker = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(wm.ApiBaseAddress(api), endpoint.Path.TrimStart('/')));
        MockServerFixture.Authorize(request, credential);
        request.Headers.Add(Marker, marker);
        var (status, _, _) = await wm.SendAsync(request);
        Assert.Equal(credential.CanRead ? 200 : 403, status);

        var journaled = Assert.Single(await JournaledAsync(wm.Http, marker));
        var text = journaled.GetRawText();
        Assert.DoesNotContain(credential.Value, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + credential.Value)), text, StringComparison.Ordinal);
        var headers = journaled.GetProperty("Request").GetProperty("Headers");
        var redacted = credential.Header is { } header
            ? Header(headers, header)
            : Header(headers, "Authorization");
        Assert.EndsWith("***", redacted, StringComparison.Ordinal);

        // The same request in the engine's own journal shows the same redaction.
        var own = wm.Contracts.Engine.Requests().Last(r => r.Headers.TryGetValue(Marker, out var m) && m == marker);
        Assert.Equal(redacted, own.Headers[credential.Header ?? "Authorization"]);
    }

    [Fact]
    public async Task An_exchanged_access_token_is_redacted_in_the_request_and_the_response_of_the_log()
    {
        var wm = hosts.WireMock;
        foreach (var contract in Cases.Contracts.Where(c => c.AuthSchemes.Any(s => s.ExchangeEndpoint is not null)))
        {
            var scheme = contract.AuthSchemes.First(s => s.ExchangeEndpoint is not null);
            var exchange = contract.Endpoints.Single(e => e.Name == scheme.ExchangeEndpoint);
            var refresh = wm.Apis.Single(a => a.Name == contract.Name).Credentials.First(c => c.Kind == "RefreshToken");
            var marker = Guid.NewGuid().ToString("N");
            using var post = new HttpRequestMessage(new HttpMethod(exchange.Method), new Uri(wm.ApiBaseAddress(contract.Name), exchange.Path.TrimStart('/')));
            post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", refresh.Value);
            post.Headers.Add(Marker, marker);
            var (status, body, _) = await wm.SendAsync(post);
            Assert.Equal(200, status);
            var token = JsonDocument.Parse(body).RootElement.GetProperty(scheme.TokenField!).GetString()!;

            var endpoint = Cases.Callable(contract).First(e => !e.Path.Contains('{', StringComparison.Ordinal));
            using var read = new HttpRequestMessage(HttpMethod.Get, new Uri(wm.ApiBaseAddress(contract.Name), endpoint.Path.TrimStart('/')));
            read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            read.Headers.Add(Marker, marker);
            Assert.Equal(200, (await wm.SendAsync(read)).Status);

            var journaled = await JournaledAsync(wm.Http, marker);
            Assert.Equal(2, journaled.Count);
            var text = string.Join("\n", journaled.Select(e => e.GetRawText()));
            Assert.DoesNotContain(refresh.Value, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_fault_that_cuts_the_answer_becomes_a_WireMock_fault()
    {
        var wm = hosts.WireMock;
        var contract = Cases.Contracts.First();
        var endpoint = Cases.Callable(contract).First(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal));
        var pathAndQuery = HostsFixture.PathAndQuery(endpoint, await hosts.Kestrel.WholeAsync(contract, endpoint));

        // truncate: WireMock.Net's malformed chunk (half the body and garbage), which no JSON reader accepts.
        using var truncate = wm.Request(contract.Name, pathAndQuery);
        truncate.Headers.Add("X-Mock-Fault", "truncate");
        var (_, cut, _) = await wm.SendAsync(truncate);
        Assert.NotEmpty(cut);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(cut));

        // reset: WireMock.Net cannot drop a connection; its empty response is the nearest fault.
        using var reset = wm.Request(contract.Name, pathAndQuery);
        reset.Headers.Add("X-Mock-Fault", "reset");
        var (_, empty, _) = await wm.SendAsync(reset);
        Assert.Empty(empty);
    }

    [Fact]
    public async Task Disposing_the_registration_removes_the_contract_mappings_only()
    {
        using var server = StartServer();
        server.Given(Request.Create().UsingGet().WithPath("/mine")).WithTitle("mine").RespondWith(Response.Create().WithStatusCode(204));
        var contracts = server.AddContracts(new MockServerOptions { Events = 20, Seed = 7 });
        var guids = contracts.MappingGuids;
        Assert.Equal(contracts.Engine.Routes.Count + contracts.Apis.Count, guids.Count);
        Assert.All(guids, g => Assert.Contains(server.Mappings, m => m.Guid == g));

        contracts.Dispose();

        Assert.DoesNotContain(server.Mappings, m => guids.Contains(m.Guid));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NoContent, (await http.GetAsync(new Uri(new Uri(server.Url!), "/mine"))).StatusCode);
    }

    [Fact]
    public async Task Each_request_is_journaled_under_the_mapping_of_the_endpoint_that_served_it()
    {
        // Templates overlap (a literal segment and a placeholder): the literal's mapping is tried first.
        var wm = hosts.WireMock;
        var marker = Guid.NewGuid().ToString("N");
        var expected = new List<string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract))
            {
                using var request = wm.Request(contract.Name, HostsFixture.PathAndQuery(endpoint, await hosts.Kestrel.WholeAsync(contract, endpoint)));
                request.Headers.Add(Marker, marker);
                Assert.Equal(200, (await wm.SendAsync(request)).Status);
                expected.Add(contract.Name + " " + endpoint.Name);
            }
        }

        var titles = (await JournaledAsync(wm.Http, marker)).Select(e => e.GetProperty("MappingTitle").GetString()!).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), titles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task After_a_WireMock_reset_Register_brings_the_contract_mappings_back()
    {
        using var server = StartServer();
        using var contracts = server.AddContracts(new MockServerOptions { Events = 20, Seed = 7 });
        var api = contracts.Apis.First(a => a.SamplePath is not null);
        var credential = api.Credentials.First(c => c.CanRead && c.Kind != "RefreshToken");
        using var http = new HttpClient();
        async Task<int> StatusAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.BaseAddress, api.SamplePath));
            MockServerFixture.Authorize(request, credential);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.Equal(200, await StatusAsync());
        server.Reset();
        Assert.Equal(404, await StatusAsync());
        contracts.Register();
        Assert.Equal(200, await StatusAsync());
    }

    /// <summary>A list endpoint of a contract with a page-size parameter.</summary>
    private static (ContractSpec Contract, EndpointSpec List, ParameterSpec PageSize) PagedList()
    {
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal)))
            {
                if (endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.PageSize && p.In != ParameterLocation.Path) is { } pageSize
                    && ClientDriver.ReadCredential(contract) is EventsKeyCredential)
                {
                    return (contract, endpoint, pageSize);
                }
            }
        }

        throw new global::Xunit.Sdk.XunitException("No contract has a list endpoint with a page size.");
    }

    private static async Task<List<JsonElement>> JournaledAsync(HttpClient admin, string marker)
    {
        using var doc = JsonDocument.Parse(await admin.GetStringAsync(new Uri("__admin/requests", UriKind.Relative)));
        return doc.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("Request").TryGetProperty("Headers", out var h) && h.ValueKind == JsonValueKind.Object
                && h.EnumerateObject().Any(p => string.Equals(p.Name, Marker, StringComparison.OrdinalIgnoreCase) && p.Value.GetRawText().Contains(marker, StringComparison.Ordinal)))
            .Select(e => e.Clone())
            .ToList();
    }

    private static string Header(JsonElement headers, string name)
    {
        var value = headers.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        return value.ValueKind == JsonValueKind.Array ? value[0].GetString()! : value.GetString()!;
    }

    private static WireMockServer StartServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return WireMockServer.Start(new WireMockServerSettings { Urls = new[] { "http://127.0.0.1:" + port }, StartAdminInterface = true });
    }
}
