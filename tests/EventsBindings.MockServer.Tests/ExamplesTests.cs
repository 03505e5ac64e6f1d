using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>The contracts' documented examples are in the dataset, served field for field.</summary>
[Collection(MockCollection.Name)]
public sealed class ExamplesTests
{
    private readonly TestMockServerFixture _fx;

    public ExamplesTests(TestMockServerFixture fx) => _fx = fx;

    [Fact]
    public async Task The_guides_event_53820480_is_served_verbatim()
    {
        var contract = TestContracts.Get("AdminByRequest");
        var example = contract.FindEndpoint("Event")!.Examples.Single();
        var (status, body, _) = await _fx.GetAsync("AdminByRequest", example.RequestPath!);
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(example.Body), JsonNode.Parse(body)), body);
    }

    public static IEnumerable<object[]> ExampleRequests() =>
        TestContracts.Specs.SelectMany(c => c.Endpoints.SelectMany(e => e.ExampleRequests.Select(r => new object[] { c.Name, e.Name, r.Name })));

    [Fact]
    public void The_documented_request_only_examples_are_exercised()
    {
        // The ABR guide documents a filtered URL without its answer; the theory below sends it.
        Assert.NotEmpty(ExampleRequests());
    }

    [Theory]
    [MemberData(nameof(ExampleRequests))]
    public async Task Every_documented_example_request_is_answered_with_items_that_pass_its_filters(string api, string endpointName, string requestName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var request = endpoint.ExampleRequests.Single(r => r.Name == requestName);
        var path = (request.Path ?? endpoint.Path) + (request.Query.Count == 0 ? string.Empty
            : "?" + string.Join("&", request.Query.Select(q => Uri.EscapeDataString(q.Name) + "=" + Uri.EscapeDataString(q.Value))));
        var (status, body, _) = await _fx.GetAsync(api, path);
        Assert.True(status == 200, $"{path} -> {status}: {body}");

        // Every item the mock returns satisfies the example's equality filters (an independent check of the answer).
        var payload = JsonNode.Parse(body)!;
        var items = (endpoint.Response.Envelope is { } env ? payload[env] : payload)!.AsArray();
        foreach (var value in request.Query)
        {
            var parameter = endpoint.FindParameter(value.Name)!;
            if (parameter.Semantics.Kind == SemanticsKind.EqualTo && parameter.Semantics.Field is { } field)
            {
                Assert.All(items, item => Assert.Equal(value.Value, field.Split('.').Aggregate((JsonNode?)item, (node, name) => node?[name])?.ToString()));
            }
        }
    }

    public static IEnumerable<object[]> ExampleItems()
    {
        foreach (var contract in TestContracts.Specs)
        {
            foreach (var endpoint in contract.Endpoints.Where(e => e.Response.Kind == ResponseKind.List && e.Response.Model == contract.Mock!.DatasetModel))
            {
                foreach (var example in endpoint.Examples)
                {
                    yield return new object[] { contract.Name, endpoint.Name, example.Name };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ExampleItems))]
    public async Task Every_documented_list_item_is_found_by_its_id_field_for_field(string api, string endpointName, string exampleName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var example = endpoint.Examples.Single(e => e.Name == exampleName);
        var idField = contract.Mock!.Id!.Field;
        var payload = JsonNode.Parse(example.Body)!;
        var items = (endpoint.Response.Envelope is { } env ? payload[env] : payload)!.AsArray();
        Assert.NotEmpty(items);

        // The endpoint (of any kind) that selects by the dataset id: a path or a query parameter. A contract
        // without one (a log searched only by filter expressions): the item is looked up in the whole listing.
        var byId = contract.Endpoints.FirstOrDefault(e => e.Response.Model == contract.Mock.DatasetModel
            && e.Parameters.Any(p => p.Semantics.Kind == SemanticsKind.EqualTo && p.Semantics.Field == idField));
        if (byId is null)
        {
            var universe = await Universe.FetchAsync(_fx, contract, endpoint);
            foreach (var item in items)
            {
                var id = item![idField]!.ToString();
                var served = Assert.Single(universe, i => i.GetProperty(idField).ToString() == id);
                Assert.True(JsonNode.DeepEquals(item, JsonNode.Parse(served.GetRawText())), $"expected {item.ToJsonString()}\nserved {served.GetRawText()}");
            }

            return;
        }

        var idParam = byId.Parameters.First(p => p.Semantics.Kind == SemanticsKind.EqualTo && p.Semantics.Field == idField);
        foreach (var item in items)
        {
            var id = item![idField]!.ToString();
            var path = idParam.In == ParameterLocation.Path ? byId.Path.Replace("{" + idParam.WireName + "}", id, StringComparison.Ordinal) : byId.Path + "?" + idParam.WireName + "=" + Uri.EscapeDataString(id);
            var (status, body, _) = await _fx.GetAsync(api, path);
            Assert.Equal(200, status);
            var served = JsonNode.Parse(body)!;
            if (byId.Response.Envelope is { } e)
            {
                served = served[e]!;
            }

            if (byId.Response.Kind == ResponseKind.List)
            {
                Assert.Single(served.AsArray());
                served = served[0]!;
            }

            Assert.True(JsonNode.DeepEquals(item, served), $"expected {item.ToJsonString()}\nserved {served.ToJsonString()}");
        }
    }

    [Fact]
    public async Task The_feed_example_is_served_verbatim_as_the_oldest_feed_item()
    {
        var contract = TestContracts.Get("Banyan");
        var feed = contract.FindEndpoint("EventFeed")!;
        var expected = JsonNode.Parse(feed.Examples.Single().Body)!["data"]![0]!;
        var (status, body, _) = await _fx.GetAsync("Banyan", "/events/feed?order=ASC&limit=1");
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(body)!["data"]![0]), body);
    }

    [Fact]
    public async Task Feed_items_are_projected_from_events_with_renamed_and_generated_fields()
    {
        var contract = TestContracts.Get("Banyan");
        var (_, events, _) = await _fx.GetAsync("Banyan", "/events?limit=5");
        var (_, feed, _) = await _fx.GetAsync("Banyan", "/events/feed?limit=5");
        var e = JsonNode.Parse(events)!["data"]!.AsArray();
        var f = JsonNode.Parse(feed)!["data"]!.AsArray();
        Assert.Equal(5, f.Count);
        var model = contract.FindModel("FeedEvent")!;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(e[i]!["id"]!.ToString(), f[i]!["id"]!.ToString());
            Assert.Equal(e[i]!["message"]!.ToString(), f[i]!["messages"]!.ToString());
            Assert.False(string.IsNullOrEmpty(f[i]!["group_id"]?.ToString()));
            Assert.Null(f[i]!["message"]);
            foreach (var field in model.Fields.Where(x => !x.Optional))
            {
                Assert.True(f[i]!.AsObject().ContainsKey(field.JsonName), field.JsonName);
            }
        }
    }

    [Fact]
    public async Task An_unknown_id_gives_the_endpoints_404_body()
    {
        var contract = TestContracts.Get("AdminByRequest");
        var error = contract.ErrorsFor(contract.FindEndpoint("Event")!).Single(e => e.Status == 404);
        var (status, body, _) = await _fx.GetAsync("AdminByRequest", "/events/1");
        Assert.Equal(404, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(error.Body!), JsonNode.Parse(body)));
    }
}
