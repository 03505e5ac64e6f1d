using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>
/// For every filtering parameter of every list and count endpoint of every contract: the server's
/// answer equals the oracle's reading of the contract over the whole dataset — every returned item
/// satisfies the filter, and nothing that satisfies it is missing.
/// </summary>
[Collection(MockCollection.Name)]
public sealed class SemanticsTests
{
    private readonly TestMockServerFixture _fx;

    public SemanticsTests(TestMockServerFixture fx) => _fx = fx;

    public static IEnumerable<object[]> FilterParameters()
    {
        foreach (var contract in TestContracts.Specs)
        {
            foreach (var endpoint in contract.Endpoints.Where(e => e.Response.Kind is ResponseKind.List or ResponseKind.Count))
            {
                foreach (var p in endpoint.Parameters.Where(p => Oracle.IsFilter(p.Semantics.Kind)))
                {
                    yield return new object[] { contract.Name, endpoint.Name, p.WireName };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(FilterParameters))]
    public async Task Filter_returns_exactly_the_items_that_satisfy_it(string api, string endpointName, string parameter)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var p = endpoint.FindParameter(parameter)!;
        var universe = await Universe.FetchAsync(_fx, contract, endpoint);
        Assert.NotEmpty(universe);
        var value = ValueChooser.Choose(contract, endpoint, p, universe);

        var query = new Dictionary<string, string>();
        var pathValues = new Dictionary<string, string>();
        (p.In == ParameterLocation.Path ? pathValues : query)[p.WireName] = value;
        foreach (var other in endpoint.Parameters.Where(o => o.In == ParameterLocation.Path && o.WireName != p.WireName))
        {
            pathValues[other.WireName] = ValueChooser.Choose(contract, endpoint, other, universe);
        }

        var expected = Universe.Expected(contract, endpoint, query.Concat(pathValues).ToDictionary(kv => kv.Key, kv => kv.Value), universe, TestMockServerFixture.Now);

        if (endpoint.Response.Kind == ResponseKind.Count)
        {
            var (status, body, _) = await _fx.GetAsync(api, endpoint.Path + "?" + Walker.Query(query));
            Assert.Equal(200, status);
            var count = Walker.Payload(endpoint, body).GetInt64();
            Assert.Equal(Math.Min(expected.Count, endpoint.Response.Cap ?? long.MaxValue), count);
            return;
        }

        var actual = await Walker.AllAsync(_fx, contract, endpoint, query, pathValues: pathValues);
        foreach (var item in actual)
        {
            Assert.True(Oracle.Satisfies(contract, endpoint, p, value, item, TestMockServerFixture.Now), $"{parameter}={value}: {item.GetRawText()}");
        }

        var expectedIds = expected.Select(i => Walker.Id(i, contract)).OrderBy(x => x, StringComparer.Ordinal).ToList();
        var actualIds = actual.Select(i => Walker.Id(i, contract)).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedIds, actualIds);
        Assert.True(expected.Count > 0 || universe.Count < 10, $"{parameter}={value} selects nothing: a weak test.");
    }
}
