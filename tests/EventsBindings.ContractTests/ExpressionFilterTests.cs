using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// For every filter-expression (<c>scim</c>) and keyword-search (<c>keywords</c>) parameter of every list
/// endpoint of every contract, set through the generated client's typed query (its raw string property):
/// expressions and queries made from values seen in the data return exactly the items the oracle's
/// independent reading selects from the whole dataset, in the endpoint's order. (The mock's side, over
/// plain HTTP and with malformed expressions too, is tests/EventsBindings.Filtering.Tests.)
/// </summary>
public abstract class ExpressionFilterTests
{
    private readonly ClientsFixture _fx;

    protected ExpressionFilterTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string, string> Parameters()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind == ResponseKind.List))
            {
                foreach (var p in endpoint.Parameters.Where(p => p.Semantics.Kind is SemanticsKind.Scim or SemanticsKind.Keywords))
                {
                    data.Add(contract.Name, endpoint.Name, p.WireName);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public async Task Expressions_made_from_the_data_return_exactly_what_the_oracle_selects(string api, string endpointName, string parameter)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var p = endpoint.FindParameter(parameter)!;
        var model = contract.FindModel(endpoint.Response.Model!)!;
        var universe = await _fx.UniverseAsync(contract, endpoint);
        Assert.NotEmpty(universe);
        var expressions = p.Semantics.Kind == SemanticsKind.Scim
            ? ScimOracle.Expressions(contract, model, p.Semantics, universe).Select(e => e.Filter).ToList()
            : ScimOracle.KeywordQueries(contract, model, p.Semantics, universe);
        Assert.True(expressions.Count >= 3, $"only {expressions.Count} expressions could be made from the data");

        using var client = ClientDriver.Create(_fx, contract);
        var selecting = 0;
        foreach (var expression in expressions)
        {
            var wire = Universe.Parameters(endpoint);
            foreach (var (name, value) in await _fx.PathValuesAsync(contract, endpoint))
            {
                wire[name] = value;
            }

            wire[p.WireName] = expression;
            var expected = Universe.Expected(contract, endpoint, wire, universe, TestMockServerFixture.Now).Select(i => Walker.Id(i, contract)).ToList();
            if (endpoint.Pagination?.PageSizeParameter is { } size && endpoint.FindParameter(size)!.Maximum is { } max)
            {
                wire[size] = ClientsFixture.Text(max);
            }

            var actual = (await client.ListAsync(endpoint, wire)).Select(i => Walker.Id(i, contract)).ToList();
            Assert.True(expected.SequenceEqual(actual), $"{parameter}={expression}: expected {expected.Count} items, the client returned {actual.Count}");
            selecting += expected.Count > 0 ? 1 : 0;
        }

        Assert.True(selecting >= expressions.Count / 2, $"only {selecting} of {expressions.Count} expressions select anything: a weak test.");
    }
}
