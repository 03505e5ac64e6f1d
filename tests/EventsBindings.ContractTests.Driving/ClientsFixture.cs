using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// One in-process mock server per test collection (fixed clock, 300 items per API), plus what the
/// contract tests compute once: the universe of each endpoint over plain HTTP, and the mock's journal.
/// </summary>
public sealed class ClientsFixture : TestMockServerFixture
{
    private readonly ConcurrentDictionary<string, Task<List<JsonElement>>> _universes = new();

    /// <summary>
    /// Every item the endpoint may select, read over plain HTTP (not through the client under test), each
    /// validated against the kit's JSON Schema of the serving endpoint's items.
    /// </summary>
    public Task<List<JsonElement>> UniverseAsync(ContractSpec contract, EndpointSpec endpoint)
    {
        var source = Universe.Source(contract, endpoint);
        return _universes.GetOrAdd(contract.Name + "/" + source.Name, async _ =>
        {
            var items = await Universe.FetchAsync(this, contract, endpoint);
            var errors = ResponseSchemas.For(contract, Host.ApiBaseAddress(contract.Name)).ValidateItems(source, items);
            return errors.Count == 0
                ? items
                : throw new Xunit.Sdk.XunitException($"Items {contract.Name} {source.Name} serves do not match {source.Name}.response.schema.json written by the kit's translation:\n  " + string.Join("\n  ", errors));
        });
    }

    /// <summary>The header that marks the requests of one test in the mock's journal.</summary>
    public const string MarkerHeader = "X-Contract-Test";

    /// <summary>Marks every request of a client with a fresh value, returned for <see cref="JournaledAsync"/>.</summary>
    public static string Mark(ClientDriver client)
    {
        var marker = Guid.NewGuid().ToString("N");
        client.Handler.Headers[MarkerHeader] = marker;
        return marker;
    }

    /// <summary>The requests the mock has journaled with a marker, as (path, query, status).</summary>
    public async Task<List<(string Path, string Query, int Status)>> JournaledAsync(string marker)
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri("__admin/requests?limit=2000", UriKind.Relative)));
        return doc.RootElement.GetProperty("requests").EnumerateArray()
            .Where(r => r.TryGetProperty("headers", out var h) && h.TryGetProperty(MarkerHeader, out var m) && m.GetString() == marker)
            .Select(r => (r.GetProperty("path").GetString()!, r.GetProperty("query").GetString()!, r.GetProperty("status").GetInt32()))
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
