using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// For every filter parameter of every list and count endpoint of every contract, set through the
/// generated client's typed query: every item the client returns satisfies the filter, and nothing that
/// satisfies it is missing (the oracle's reading of the contract over the whole dataset).
/// </summary>
public abstract class FilterTests
{
    private readonly ClientsFixture _fx;

    protected FilterTests(ClientsFixture fx) => _fx = fx;

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
        using var client = ClientDriver.Create(_fx, TestContracts.Get(api));
        await FilterOracleCheck.AssertAsync(_fx, client, api, endpointName, parameter);
    }
}
