using System.Globalization;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// The parameters that order and cut rather than filter (sort order, newest N, offset, page size), each
/// set through the typed query, against the natural order the client lists; and a guard that every
/// parameter of every endpoint is exercised by some theory of this project.
/// </summary>
public abstract class OrderingTests
{
    private static readonly SemanticsKind[] Shaping = { SemanticsKind.SortOrder, SemanticsKind.NewestN, SemanticsKind.Offset, SemanticsKind.PageSize };

    private readonly ClientsFixture _fx;

    protected OrderingTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string, string> ShapingParameters()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind == ResponseKind.List))
            {
                foreach (var p in endpoint.Parameters.Where(p => Shaping.Contains(p.Semantics.Kind)))
                {
                    data.Add(contract.Name, endpoint.Name, p.WireName);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShapingParameters))]
    public async Task The_parameter_shapes_the_natural_order_as_its_semantics_say(string api, string endpointName, string parameter)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var p = endpoint.FindParameter(parameter)!;
        var whole = await _fx.WholeAsync(contract, endpoint);
        var sizeParam = endpoint.Pagination?.PageSizeParameter is { } s ? endpoint.FindParameter(s) : null;
        var big = new Dictionary<string, string>(whole, StringComparer.Ordinal);
        if (sizeParam?.Maximum is { } max)
        {
            big[sizeParam.WireName] = ClientsFixture.Text(max);
        }

        using var client = ClientDriver.Create(_fx, contract);
        var natural = (await client.ListAsync(endpoint, big)).Select(i => Walker.Id(i, contract)).ToList();
        Assert.True(natural.Count >= 10, "Too few items for a meaningful test.");
        List<string> Ids(IEnumerable<System.Text.Json.JsonElement> items) => items.Select(i => Walker.Id(i, contract)).ToList();

        switch (p.Semantics.Kind)
        {
            case SemanticsKind.SortOrder:
                var natives = endpoint.Order!.Direction == SortDirection.Ascending ? (Same: p.Semantics.Ascending!, Reverse: p.Semantics.Descending!) : (Same: p.Semantics.Descending!, Reverse: p.Semantics.Ascending!);
                Assert.Equal(natural, Ids(await client.ListAsync(endpoint, new Dictionary<string, string>(big) { [p.WireName] = natives.Same })));
                Assert.Equal(Enumerable.Reverse(natural), Ids(await client.ListAsync(endpoint, new Dictionary<string, string>(big) { [p.WireName] = natives.Reverse })));
                break;
            case SemanticsKind.NewestN:
                const int n = 7;
                var newest = await client.PagesAsync(endpoint, new Dictionary<string, string>(whole) { [p.WireName] = n.ToString(CultureInfo.InvariantCulture) });
                var page = Assert.Single(newest);
                Assert.Null(page.ContinuationToken);
                Assert.Equal(natural.TakeLast(n).Reverse(), Ids(page.Items));
                break;
            case SemanticsKind.Offset:
                const int k = 5;
                var skipped = await client.PageAsync(endpoint, new Dictionary<string, string>(big) { [p.WireName] = k.ToString(CultureInfo.InvariantCulture) });
                Assert.Equal(natural.Skip(k), Ids(skipped.Items));
                break;
            case SemanticsKind.PageSize:
                const int size = 3;
                var first = await client.PageAsync(endpoint, new Dictionary<string, string>(whole) { [p.WireName] = size.ToString(CultureInfo.InvariantCulture) });
                Assert.Equal(natural.Take(size), Ids(first.Items));
                Assert.NotNull(first.ContinuationToken);
                break;
        }
    }

    [Fact]
    public void Every_parameter_of_every_endpoint_is_exercised_by_a_theory()
    {
        var covered = new HashSet<(string, string, string)>();
        foreach (var row in FilterTests.FilterParameters().Concat(ExpressionFilterTests.Parameters()).Concat(ShapingParameters()).Concat(BoundsTests.Bounds().Select(r => r.Take(3).ToArray())).Concat(OpaqueParameterTests.OpaqueParameters().Select(r => r.Take(3).ToArray())))
        {
            covered.Add(((string)row[0], (string)row[1], (string)row[2]));
        }

        // Item endpoints' path parameters: fetched by id in ItemTests and ErrorTests.
        foreach (var row in ItemTests.ItemEndpoints())
        {
            foreach (var p in TestContracts.Get((string)row[0]).FindEndpoint((string)row[1])!.Parameters.Where(p => p.In == ParameterLocation.Path))
            {
                covered.Add(((string)row[0], (string)row[1], p.WireName));
            }
        }

        // The opaque cursor a server puts in its next links (pageToken): carried by the continuation tokens of PagingTests.
        foreach (var row in PagingTests.PagedEndpoints())
        {
            if (TestContracts.Get((string)row[0]).FindEndpoint((string)row[1])!.Pagination is { Strategy: PaginationStrategy.NextLink, TokenParameter: { } cursor })
            {
                covered.Add(((string)row[0], (string)row[1], cursor));
            }
        }

        var missing = Cases.Contracts.SelectMany(c => Cases.Callable(c).SelectMany(e => e.Parameters.Select(p => (c.Name, e.Name, p.WireName))))
            .Where(x => !covered.Contains(x)).ToList();
        Assert.True(missing.Count == 0, "Parameters no theory exercises (a semantics kind this project does not know yet): " + string.Join(", ", missing));
    }
}
