using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests.Driving;

/// <summary>
/// The filter invariant of the contract tests, for any host: a filter parameter set through the generated
/// client's typed query to a value taken from the data returns exactly the items the oracle's reading of the
/// contract selects from the whole dataset (read from <paramref name="fx"/>'s host), and each satisfies it.
/// </summary>
public static class FilterOracleCheck
{
    /// <summary>Asserts the invariant for one parameter, through <paramref name="client"/> (a client of any host serving the same dataset).</summary>
    /// <param name="fx">The fixture whose host gives the universe (the whole dataset) and path values.</param>
    /// <param name="client">The client that is checked.</param>
    /// <param name="api">The contract name.</param>
    /// <param name="endpointName">The endpoint.</param>
    /// <param name="parameter">The filter parameter's wire name.</param>
    public static async Task AssertAsync(ClientsFixture fx, ClientDriver client, string api, string endpointName, string parameter)
    {
        ArgumentNullException.ThrowIfNull(fx);
        ArgumentNullException.ThrowIfNull(client);
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var p = endpoint.FindParameter(parameter)!;
        var universe = await fx.UniverseAsync(contract, endpoint).ConfigureAwait(false);
        Assert.NotEmpty(universe);

        var wire = await fx.PathValuesAsync(contract, endpoint).ConfigureAwait(false);
        var value = ValueChooser.Choose(contract, endpoint, p, universe);
        wire[p.WireName] = value;
        var expected = Universe.Expected(contract, endpoint, wire, universe, TestMockServerFixture.Now);
        Assert.True(expected.Count > 0, $"{parameter}={value} selects nothing: a weak test.");

        if (endpoint.Response.Kind == ResponseKind.Count)
        {
            var count = await client.CountAsync(endpoint, wire).ConfigureAwait(false);
            Assert.Equal(Math.Min(expected.Count, endpoint.Response.Cap ?? long.MaxValue), count);
            return;
        }

        // The largest page, so that the walk is short; paging itself is tested elsewhere.
        if (endpoint.Pagination?.PageSizeParameter is { } size && endpoint.FindParameter(size)!.Maximum is { } max)
        {
            wire[size] = ClientsFixture.Text(max);
        }

        var actual = await client.ListAsync(endpoint, wire).ConfigureAwait(false);
        foreach (var item in actual)
        {
            Assert.True(Oracle.Satisfies(contract, endpoint, p, value, item, TestMockServerFixture.Now), $"{parameter}={value}: {item.GetRawText()}");
        }

        Assert.Equal(
            expected.Select(i => Walker.Id(i, contract)).Order(StringComparer.Ordinal),
            actual.Select(i => Walker.Id(i, contract)).Order(StringComparer.Ordinal));
    }
}
