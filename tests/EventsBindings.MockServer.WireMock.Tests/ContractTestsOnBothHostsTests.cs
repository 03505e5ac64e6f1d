using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.WireMock.Tests;

/// <summary>
/// Contract tests as a theory over the host: the filter test of tests/EventsBindings.ContractTests/FilterTests.cs
/// (every filter of every list and count endpoint, through the generated client, against the oracle over the
/// whole dataset) and a full paging walk, run against the Kestrel host and the WireMock.Net host alike.
/// </summary>
[Collection(HostsCollection.Name)]
public sealed class ContractTestsOnBothHostsTests(HostsFixture hosts)
{
    public static readonly string[] HostNames = { "kestrel", "wiremock-net" };

    public static TheoryData<string, string, string, string> FilterParameters()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var host in HostNames)
        {
            foreach (var contract in Cases.Contracts)
            {
                foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind is ResponseKind.List or ResponseKind.Count))
                {
                    foreach (var p in endpoint.Parameters.Where(p => Oracle.IsFilter(p.Semantics.Kind)))
                    {
                        data.Add(host, contract.Name, endpoint.Name, p.WireName);
                    }
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string, string> ListEndpoints()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var host in HostNames)
        {
            foreach (var contract in Cases.Contracts)
            {
                foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind == ResponseKind.List && e.Pagination is not null))
                {
                    data.Add(host, contract.Name, endpoint.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FilterParameters))]
    public async Task Filter_set_through_the_typed_query_returns_exactly_the_items_that_satisfy_it(string host, string api, string endpointName, string parameter)
    {
        using var client = Client(host, TestContracts.Get(api));
        await FilterOracleCheck.AssertAsync(hosts.Kestrel, client, api, endpointName, parameter);
    }

    [Theory]
    [MemberData(nameof(ListEndpoints))]
    public async Task A_walk_in_small_pages_meets_every_item_once(string host, string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var universe = await hosts.Kestrel.UniverseAsync(contract, endpoint);
        var wire = await hosts.Kestrel.WholeAsync(contract, endpoint);
        var expected = Universe.Expected(contract, endpoint, wire, universe, TestMockServerFixture.Now);
        if (endpoint.Pagination!.PageSizeParameter is { } size)
        {
            var p = endpoint.FindParameter(size)!;
            wire[size] = ClientsFixture.Text((long)Math.Max(p.Minimum ?? 1, Math.Min(p.Maximum ?? 50, Math.Max(1, expected.Count / 7))));
        }

        using var client = Client(host, contract);
        var pages = await client.PagesAsync(endpoint, wire);
        var ids = pages.SelectMany(page => page.Items).Select(i => Walker.Id(i, contract)).ToList();

        Assert.True(pages.Count > 1, $"{pages.Count} page(s): a weak test.");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected.Select(i => Walker.Id(i, contract)).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    private ClientDriver Client(string host, ContractSpec contract) => host == "kestrel"
        ? ClientDriver.Create(hosts.Kestrel, contract)
        : ClientDriver.Create(hosts.WireMock.ApiBaseAddress(contract.Name), contract);
}
