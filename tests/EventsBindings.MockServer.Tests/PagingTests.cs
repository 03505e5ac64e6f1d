using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>Paging walks, orders, defaults and count-versus-list, for both pagination strategies.</summary>
[Collection(MockCollection.Name)]
public sealed class PagingTests
{
    private readonly TestMockServerFixture _fx;

    public PagingTests(TestMockServerFixture fx) => _fx = fx;

    public static IEnumerable<object[]> PagedEndpoints() =>
        TestContracts.Specs.SelectMany(c => c.Endpoints
            .Where(e => e.Response.Kind == ResponseKind.List && e.Pagination is not null && !e.Path.Contains('{', StringComparison.Ordinal))
            .Select(e => new object[] { c.Name, e.Name }));

    private static Dictionary<string, string> Base(ContractSpec contract, EndpointSpec endpoint) => Universe.Parameters(endpoint);

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task Small_pages_walk_to_the_same_items_in_the_same_order_as_one_big_page(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var whole = await Walker.AllAsync(_fx, contract, endpoint, Base(contract, endpoint));
        var paged = await Walker.AllAsync(_fx, contract, endpoint, Base(contract, endpoint), pageSize: 37);
        Assert.True(whole.Count > 100);
        Assert.Equal(whole.Select(i => Walker.Id(i, contract)), paged.Select(i => Walker.Id(i, contract)));
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task Items_come_in_the_natural_order_and_the_page_size_defaults_as_declared(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var (status, body, _) = await _fx.GetAsync(api, endpoint.Path + "?" + Walker.Query(Base(contract, endpoint)));
        Assert.Equal(200, status);
        var items = Walker.Payload(endpoint, body).EnumerateArray().ToList();
        var pageSize = endpoint.FindParameter(endpoint.Pagination!.PageSizeParameter!)!;
        Assert.Equal(int.Parse(pageSize.Default!, CultureInfo.InvariantCulture), items.Count);
        var order = endpoint.Order!;
        var keys = items.Select(i => Key(contract, endpoint, i, order.Field)).ToList();
        var sorted = order.Direction == SortDirection.Ascending ? keys.Order().ToList() : keys.OrderDescending().ToList();
        Assert.Equal(sorted, keys);
    }

    private static long Key(ContractSpec contract, EndpointSpec endpoint, JsonElement item, string field)
    {
        var spec = contract.ResolvePath(contract.FindModel(endpoint.Response.Model!)!, field)!.Last();
        var value = Oracle.At(item, field);
        return spec.Type.Kind == TypeKind.Timestamp ? Oracle.Instant(value, spec.Type.Encoding)!.Value.ToUnixTimeMilliseconds() : value!.Value.GetInt64();
    }

    [Fact]
    public async Task Sort_order_parameter_reverses_the_order_and_ignores_case()
    {
        var contract = TestContracts.Get("Banyan");
        var endpoint = contract.FindEndpoint("Events")!;
        var desc = await Walker.AllAsync(_fx, contract, endpoint, new Dictionary<string, string>());
        var asc = await Walker.AllAsync(_fx, contract, endpoint, new Dictionary<string, string> { ["order"] = "asc" });
        var ascUpper = await Walker.AllAsync(_fx, contract, endpoint, new Dictionary<string, string> { ["order"] = "ASC" });
        Assert.Equal(desc.Select(i => Walker.Id(i, contract)).Reverse(), asc.Select(i => Walker.Id(i, contract)));
        Assert.Equal(asc.Select(i => Walker.Id(i, contract)), ascUpper.Select(i => Walker.Id(i, contract)));
    }

    [Fact]
    public async Task Newest_n_returns_the_last_n_of_the_natural_order_reversed()
    {
        var contract = TestContracts.Get("AdminByRequest");
        var endpoint = contract.FindEndpoint("Events")!;
        var natural = await Walker.AllAsync(_fx, contract, endpoint, new Dictionary<string, string>());
        var (status, body, _) = await _fx.GetAsync("AdminByRequest", "/events?last=7");
        Assert.Equal(200, status);
        var newest = Walker.Payload(endpoint, body).EnumerateArray().Select(i => Walker.Id(i, contract)).ToList();
        Assert.Equal(natural.Select(i => Walker.Id(i, contract)).TakeLast(7).Reverse(), newest);
    }

    [Fact]
    public async Task Offset_beyond_the_end_gives_an_empty_page()
    {
        var (status, body, _) = await _fx.GetAsync("Banyan", "/events?skip=100000");
        Assert.Equal(200, status);
        Assert.Equal(0, JsonDocument.Parse(body).RootElement.GetProperty("data").GetArrayLength());
    }

    public static IEnumerable<object[]> CountFilters() => new[]
    {
        new object[] { "" },
        new object[] { "severity=WARN" },
        new object[] { "type=Access|Identity" },
        new object[] { "type=Registration&severity=INFO" },
        new object[] { "after=1700000000000" },
        new object[] { "user_email=alice.nguyen@example.com|bob.martinez@example.com&action=Authorized" },
    };

    [Theory]
    [MemberData(nameof(CountFilters))]
    public async Task Count_equals_the_length_of_the_list_under_the_same_filters(string filters)
    {
        var contract = TestContracts.Get("Banyan");
        var list = contract.FindEndpoint("Events")!;
        var count = contract.FindEndpoint("EventCount")!;
        var parameters = filters.Length == 0 ? new Dictionary<string, string>() : filters.Split('&').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        var items = await Walker.AllAsync(_fx, contract, list, parameters);
        var (status, body, _) = await _fx.GetAsync("Banyan", count.Path + "?" + Walker.Query(parameters));
        Assert.Equal(200, status);
        Assert.Equal(items.Count, Walker.Payload(count, body).GetInt64());
    }
}
