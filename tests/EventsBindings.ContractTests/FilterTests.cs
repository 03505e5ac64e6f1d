using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// For every filter parameter of every list and count endpoint of every contract, set through the
/// generated client's typed query: every item the client returns satisfies the filter, and nothing that
/// satisfies it is missing (the oracle's reading of the contract over the whole dataset).
/// </summary>
[Collection(QueryCollection.Name)]
public sealed class FilterTests
{
    private readonly ClientsFixture _fx;

    public FilterTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string, string> FilterParameters()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind is ResponseKind.List or ResponseKind.Count))
            {
                foreach (var p in endpoint.Parameters.Where(p => Oracle.IsFilter(p.Semantics.Kind)))
                {
                    data.Add(contract.Name, endpoint.Name, p.WireName);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FilterParameters))]
    public async Task Filter_set_through_the_typed_query_returns_exactly_the_items_that_satisfy_it(string api, string endpointName, string parameter)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var p = endpoint.FindParameter(parameter)!;
        var universe = await _fx.UniverseAsync(contract, endpoint);
        Assert.NotEmpty(universe);

        var wire = await _fx.PathValuesAsync(contract, endpoint);
        var value = ValueChooser.Choose(contract, endpoint, p, universe);
        wire[p.WireName] = value;
        var expected = Universe.Expected(contract, endpoint, wire, universe, TestMockServerFixture.Now);
        Assert.True(expected.Count > 0, $"{parameter}={value} selects nothing: a weak test.");

        using var client = ClientDriver.Create(_fx, contract);
        if (endpoint.Response.Kind == ResponseKind.Count)
        {
            var count = await client.CountAsync(endpoint, wire);
            Assert.Equal(Math.Min(expected.Count, endpoint.Response.Cap ?? long.MaxValue), count);
            return;
        }

        // The largest page, so that the walk is short; paging itself is tested elsewhere.
        if (endpoint.Pagination?.PageSizeParameter is { } size && endpoint.FindParameter(size)!.Maximum is { } max)
        {
            wire[size] = ClientsFixture.Text(max);
        }

        var actual = await client.ListAsync(endpoint, wire);
        foreach (var item in actual)
        {
            Assert.True(Oracle.Satisfies(contract, endpoint, p, value, item, TestMockServerFixture.Now), $"{parameter}={value}: {item.GetRawText()}");
        }

        var expectedIds = expected.Select(i => Walker.Id(i, contract)).OrderBy(x => x, StringComparer.Ordinal).ToList();
        var actualIds = actual.Select(i => Walker.Id(i, contract)).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedIds, actualIds);
    }
}
