using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using EventsBindings.MockServer.WireMock.Xunit;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>The host that serves the engine in a run of the contract tests.</summary>
public enum MockHostKind
{
    /// <summary>The Kestrel host (<see cref="MockServerHost"/>, the shipped <see cref="MockServerFixture"/>).</summary>
    Kestrel,

    /// <summary>A WireMock.Net server with the contracts registered through the adapter (<see cref="WireMockContractsFixture"/>).</summary>
    WireMockNet,
}

/// <summary>
/// One in-process mock server per test collection (fixed clock, 300 items per API), on the Kestrel host
/// (this class) or on the WireMock.Net host (<see cref="WireMockClientsFixture"/>), plus what the contract
/// tests compute once: the universe of each endpoint over plain HTTP from that host, and its journal.
/// The tests see one surface whatever the host: a test class bound to either fixture runs unchanged.
/// </summary>
public class ClientsFixture : IAsyncLifetime, IApiServer
{
    private readonly ConcurrentDictionary<string, Task<List<JsonElement>>> _universes = new();
    private readonly TestMockServerFixture? _kestrel;
    private readonly WireMockContractsFixture? _wireMock;

    /// <summary>The Kestrel host.</summary>
    public ClientsFixture()
        : this(MockHostKind.Kestrel)
    {
    }

    /// <summary>The given host, with the same options (300 items, seed 7, a clock standing at <see cref="TestMockServerFixture.Now"/>).</summary>
    protected ClientsFixture(MockHostKind host)
    {
        HostKind = host;
        if (host == MockHostKind.Kestrel)
        {
            _kestrel = new TestMockServerFixture();
            Clock = _kestrel.Clock;
        }
        else
        {
            Clock = new FixedTimeProvider(TestMockServerFixture.Now);
            _wireMock = new WireMockContractsFixture(new MockServerOptions { Events = 300, Seed = 7, TimeProvider = Clock });
        }
    }

    /// <summary>Which host serves the engine.</summary>
    public MockHostKind HostKind { get; }

    /// <summary>The server's clock.</summary>
    public FixedTimeProvider Clock { get; }

    /// <summary>The Kestrel host (only on <see cref="MockHostKind.Kestrel"/>).</summary>
    public MockServerHost Host => _kestrel?.Host ?? throw new InvalidOperationException("This fixture runs on WireMock.Net, not on Kestrel: use ApiBaseAddress, Engine or WireMock.");

    /// <summary>The WireMock.Net fixture (only on <see cref="MockHostKind.WireMockNet"/>).</summary>
    public WireMockContractsFixture WireMock => _wireMock ?? throw new InvalidOperationException("This fixture runs on Kestrel, not on WireMock.Net.");

    /// <summary>The engine behind the host.</summary>
    public MockServerEngine Engine => _kestrel is not null ? _kestrel.Host.Engine : WireMock.Contracts.Engine;

    /// <summary>The server's root (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri BaseAddress => _kestrel?.BaseAddress ?? WireMock.BaseAddress;

    /// <summary>A client on the server's root, with no credentials (for the host's admin API).</summary>
    public HttpClient Http => _kestrel?.Http ?? WireMock.Http;

    /// <summary>The mounted APIs with their base addresses on this host.</summary>
    public IReadOnlyList<MockApiInfo> Apis => _kestrel?.Apis ?? WireMock.Apis;

    /// <inheritdoc />
    public Uri ApiBaseAddress(string api) => _kestrel?.ApiBaseAddress(api) ?? WireMock.ApiBaseAddress(api);

    /// <summary>A demo credential of an API that may read (of <paramref name="scheme"/> when given).</summary>
    public MockCredentialInfo Credential(string api, string? scheme = null) => MockServerFixture.ReadableCredential(Apis, api, scheme);

    /// <summary>A request to a path under an API's base URL, carrying the API's readable demo credential.</summary>
    public HttpRequestMessage Request(string api, string pathAndQuery, HttpMethod? method = null) =>
        _kestrel?.Request(api, pathAndQuery, method) ?? WireMock.Request(api, pathAndQuery, method);

    /// <summary>Sends a request and reads the answer: status, body text, and the response (for its headers).</summary>
    public Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request) =>
        _kestrel?.SendAsync(request) ?? WireMock.SendAsync(request);

    /// <inheritdoc />
    public Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string api, string pathAndQuery) => SendAsync(Request(api, pathAndQuery));

    /// <inheritdoc />
    public Task InitializeAsync() => _kestrel is not null ? _kestrel.InitializeAsync() : WireMock.InitializeAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => _kestrel is not null ? _kestrel.DisposeAsync() : WireMock.DisposeAsync();

    /// <summary>
    /// Every item the endpoint may select, read over plain HTTP from this host (not through the client under
    /// test), each validated against the kit's JSON Schema of the serving endpoint's items.
    /// </summary>
    public Task<List<JsonElement>> UniverseAsync(ContractSpec contract, EndpointSpec endpoint)
    {
        var source = Universe.Source(contract, endpoint);
        return _universes.GetOrAdd(contract.Name + "/" + source.Name, async _ =>
        {
            var items = await Universe.FetchAsync(this, contract, endpoint);
            var errors = ResponseSchemas.For(contract, ApiBaseAddress(contract.Name)).ValidateItems(source, items);
            return errors.Count == 0
                ? items
                : throw new Xunit.Sdk.XunitException($"Items {contract.Name} {source.Name} serves do not match {source.Name}.response.schema.json written by the kit's translation:\n  " + string.Join("\n  ", errors));
        });
    }

    /// <summary>The header that marks the requests of one test in the host's journal.</summary>
    public const string MarkerHeader = "X-Contract-Test";

    /// <summary>Marks every request of a client with a fresh value, returned for <see cref="JournaledAsync"/>.</summary>
    public static string Mark(ClientDriver client)
    {
        var marker = Guid.NewGuid().ToString("N");
        client.Handler.Headers[MarkerHeader] = marker;
        return marker;
    }

    /// <summary>
    /// The requests the host's own journal (the mock's <c>/__admin/requests</c>, or WireMock.Net's) holds with a
    /// marker, as (path, query with its <c>?</c>, status).
    /// </summary>
    public async Task<List<(string Path, string Query, int Status)>> JournaledAsync(string marker)
    {
        if (_kestrel is not null)
        {
            using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri("__admin/requests?limit=2000", UriKind.Relative)));
            return doc.RootElement.GetProperty("requests").EnumerateArray()
                .Where(r => r.TryGetProperty("headers", out var h) && h.TryGetProperty(MarkerHeader, out var m) && m.GetString() == marker)
                .Select(r => (r.GetProperty("path").GetString()!, r.GetProperty("query").GetString()!, r.GetProperty("status").GetInt32()))
                .ToList();
        }

        // WireMock.Net's log, searched by its own admin API: entries {"Request":{"Path","Url",…},"Response":{"StatusCode",…}}.
        using var find = new StringContent(
            "{\"Headers\":[{\"Name\":\"" + MarkerHeader + "\",\"Matchers\":[{\"Name\":\"ExactMatcher\",\"Pattern\":\"" + marker + "\"}]}]}",
            System.Text.Encoding.UTF8,
            "application/json");
        using var found = await Http.PostAsync(new Uri("__admin/requests/find", UriKind.Relative), find);
        found.EnsureSuccessStatusCode();
        using var log = JsonDocument.Parse(await found.Content.ReadAsStringAsync());
        return log.RootElement.EnumerateArray()
            .Select(e =>
            {
                var request = e.GetProperty("Request");
                var url = request.GetProperty("Url").GetString()!;
                var question = url.IndexOf('?', StringComparison.Ordinal);
                var status = e.GetProperty("Response").GetProperty("StatusCode");
                return (request.GetProperty("Path").GetString()!, question < 0 ? string.Empty : url[question..],
                    status.ValueKind == JsonValueKind.Number ? status.GetInt32() : int.Parse(status.GetString()!, CultureInfo.InvariantCulture));
            })
            .ToList();
    }

    /// <summary>Values for the endpoint's path parameters, chosen from the universe.</summary>
    public async Task<Dictionary<string, string>> PathValuesAsync(ContractSpec contract, EndpointSpec endpoint)
    {
        var universe = await UniverseAsync(contract, endpoint);
        return endpoint.Parameters.Where(p => p.In == ParameterLocation.Path)
            .ToDictionary(p => p.WireName, p => ValueChooser.Choose(contract, endpoint, p, universe), StringComparer.Ordinal);
    }

    /// <summary>The wire values that select the endpoint's whole universe (default windows lifted), path values included.</summary>
    public async Task<Dictionary<string, string>> WholeAsync(ContractSpec contract, EndpointSpec endpoint)
    {
        var wire = Universe.Parameters(endpoint);
        foreach (var (k, v) in await PathValuesAsync(contract, endpoint))
        {
            wire[k] = v;
        }

        return wire;
    }

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The contract tests' fixture on the WireMock.Net host (same options and clock as the Kestrel one).</summary>
public sealed class WireMockClientsFixture : ClientsFixture
{
    /// <summary>A WireMock.Net server on a free port with the contracts registered through the adapter.</summary>
    public WireMockClientsFixture()
        : base(MockHostKind.WireMockNet)
    {
    }
}

/// <summary>The contract-driven theory data.</summary>
public static class Cases
{
    public static IEnumerable<ContractSpec> Contracts => TestContracts.Specs;

    /// <summary>Endpoints the generated client calls (the token exchange is the credential's business).</summary>
    public static IEnumerable<EndpointSpec> Callable(ContractSpec contract) =>
        contract.Endpoints.Where(e => e.Response.Kind is ResponseKind.List or ResponseKind.Count or ResponseKind.Item);

    public static TheoryData<string, string> Endpoints(Func<EndpointSpec, bool> where)
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Contracts)
        {
            foreach (var e in Callable(c).Where(where))
            {
                data.Add(c.Name, e.Name);
            }
        }

        return data;
    }
}
