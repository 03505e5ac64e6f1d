using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Runtime;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>Item endpoints return the listed item; an unknown id is the runtime's not-found exception.</summary>
public abstract class ItemTests
{
    private readonly ClientsFixture _fx;

    protected ItemTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string> ItemEndpoints() => Cases.Endpoints(e => e.Response.Kind == ResponseKind.Item);

    [Theory]
    [MemberData(nameof(ItemEndpoints))]
    public async Task The_item_fetched_by_id_equals_the_item_the_client_listed(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var source = Universe.Source(contract, endpoint);
        var idParam = endpoint.Parameters.Single(p => p.In == ParameterLocation.Path);
        var universe = await _fx.UniverseAsync(contract, endpoint);
        using var client = ClientDriver.Create(_fx, contract);
        var wire = Universe.Parameters(source);
        if (source.Pagination?.PageSizeParameter is { } size && source.FindParameter(size)!.Maximum is { } max)
        {
            wire[size] = ClientsFixture.Text(max);
        }

        var listed = (await client.ListAsync(source, wire)).ToDictionary(i => Walker.Id(i, contract), StringComparer.Ordinal);
        Assert.Equal(universe.Count, listed.Count);
        foreach (var raw in new[] { universe[0], universe[universe.Count / 2], universe[^1] })
        {
            var id = Walker.Id(raw, contract);
            var item = await client.ItemAsync(endpoint, new Dictionary<string, string> { [idParam.WireName] = id });
            Assert.Equal(listed[id].GetRawText(), item.GetRawText());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(raw.GetRawText()), JsonNode.Parse(item.GetRawText())), $"served {raw.GetRawText()}\nclient {item.GetRawText()}");
        }
    }

    [Theory]
    [MemberData(nameof(ItemEndpoints))]
    public async Task An_unknown_id_is_the_runtimes_not_found_exception(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var idParam = endpoint.Parameters.Single(p => p.In == ParameterLocation.Path);
        using var client = ClientDriver.Create(_fx, contract);
        var unknown = ErrorTests.Unknown(contract, idParam, await _fx.UniverseAsync(contract, endpoint));
        var ex = await Assert.ThrowsAsync<EventsNotFoundException>(() => client.ItemAsync(endpoint, new Dictionary<string, string> { [idParam.WireName] = unknown }));
        Assert.Equal(404, ex.Status);
        Assert.Equal(contract.ErrorsFor(endpoint).FirstOrDefault(e => e.Status == 404)?.Meaning, ex.Meaning);
        Assert.Contains(unknown, ex.Path + ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>Count endpoints equal the length of the list under the same filters (respecting the cap), for every filter.</summary>
public abstract class CountTests
{
    private readonly ClientsFixture _fx;

    protected CountTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string, string> CountFilters()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind == ResponseKind.Count))
            {
                data.Add(contract.Name, endpoint.Name, string.Empty);
                foreach (var p in endpoint.Parameters.Where(p => Oracle.IsFilter(p.Semantics.Kind)))
                {
                    data.Add(contract.Name, endpoint.Name, p.WireName);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CountFilters))]
    public async Task The_count_equals_the_length_of_the_list_under_the_same_filter(string api, string endpointName, string parameter)
    {
        var contract = TestContracts.Get(api);
        var count = contract.FindEndpoint(endpointName)!;
        var list = Universe.Source(contract, count);
        var universe = await _fx.UniverseAsync(contract, count);
        var wire = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameter.Length > 0)
        {
            Assert.NotNull(list.FindParameter(parameter));
            wire[parameter] = ValueChooser.Choose(contract, count, count.FindParameter(parameter)!, universe);
        }

        using var client = ClientDriver.Create(_fx, contract);
        var counted = await client.CountAsync(count, wire);
        var listWire = new Dictionary<string, string>(wire, StringComparer.Ordinal);
        if (list.Pagination?.PageSizeParameter is { } size && list.FindParameter(size)!.Maximum is { } max)
        {
            listWire[size] = ClientsFixture.Text(max);
        }

        var listed = await client.ListAsync(list, listWire);
        Assert.Equal(Math.Min(listed.Count, count.Response.Cap ?? long.MaxValue), counted);
        Assert.True(counted > 0, $"{parameter} selects nothing: a weak test.");
    }
}
