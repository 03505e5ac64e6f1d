using EventsBindings.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Clients.Tests;

/// <summary>The generated surface a user touches: DI registration, servers, query validation, mocking.</summary>
public sealed class SurfaceTests
{
    [Fact]
    public void DI_registers_a_typed_client_on_IHttpClientFactory()
    {
        var services = new ServiceCollection();
        var builder = services.AddAdminByRequestClient(new EventsKeyCredential("k"), o => o.Server = Abr.AdminByRequestServer.Usa);
        Assert.IsAssignableFrom<IHttpClientBuilder>(builder);
        services.AddBanyanClient(_ => new EventsKeyCredential("t"), o => o.Endpoint = new Uri("http://127.0.0.1:5080/banyan/api/v1/"));

        using var provider = services.BuildServiceProvider();
        var abr = provider.GetRequiredService<Abr.AdminByRequestClient>();
        Assert.Equal(new Uri("https://dc2api.adminbyrequest.com"), abr.Endpoint);
        var banyan = provider.GetRequiredService<Banyan.BanyanClient>();
        Assert.Equal(new Uri("http://127.0.0.1:5080/banyan/api/v1/"), banyan.Endpoint);
    }

    [Fact]
    public void The_base_url_has_one_source_a_second_different_one_is_refused()
    {
        var url = new Uri("http://127.0.0.1:5080/banyan/api/v1/");
        var key = new EventsKeyCredential("t");

        // The options' endpoint, or the constructor's, or both when they agree.
        Assert.Equal(url, new Banyan.BanyanClient(key, new Banyan.BanyanClientOptions { Endpoint = url }).Endpoint);
        Assert.Equal(url, new Banyan.BanyanClient(url, key).Endpoint);
        Assert.Equal(url, new Banyan.BanyanClient(url, key, new Banyan.BanyanClientOptions { Endpoint = url }).Endpoint);

        var other = new Uri("http://127.0.0.1:6000/banyan/api/v1/");
        var ex = Assert.Throws<ArgumentException>(() => new Banyan.BanyanClient(url, key, new Banyan.BanyanClientOptions { Endpoint = other }));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains(url.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains(other.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Servers_come_from_the_contract_and_the_default_is_marked()
    {
        Assert.Equal(Abr.AdminByRequestServer.Europe, Abr.AdminByRequestServers.Default);
        Assert.Equal(new Uri("https://dc1api.adminbyrequest.com"), Abr.AdminByRequestServers.GetUri(Abr.AdminByRequestServer.Europe));
        Assert.Equal(new Uri("https://net.banyanops.com/api/v1"), Banyan.BanyanServers.GetUri(Banyan.BanyanServers.Default));
        Assert.Equal(new Uri("https://dc1api.adminbyrequest.com"), new Abr.AdminByRequestClient(new EventsKeyCredential("k")).Endpoint);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10001)]
    public void Query_bounds_are_checked_when_set_and_name_the_wire_parameter(int take)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Abr.EventsQuery { Take = take });
        Assert.Equal("take", ex.ParamName);
        Assert.Equal(10000, new Abr.EventsQuery { Take = 10000 }.Take);
    }

    [Fact]
    public void Pipe_list_values_cannot_smuggle_the_separator()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Banyan.EventsQuery { UserEmails = new[] { "a@x.com|b@x.com" } });
        Assert.Equal("user_email", ex.ParamName);
    }

    [Fact]
    public void Queries_place_parameters_where_the_contract_says()
    {
        var request = new EventsRequest(HttpMethod.Get, "Events", "/events");
        new Banyan.EventsQuery
        {
            UserEmails = new[] { "a@x.com", "b@x.com" },
            Severity = Banyan.Severity.Warn,
            After = DateTimeOffset.FromUnixTimeMilliseconds(1589469516170),
            Order = Banyan.SortOrder.Ascending,
        }.ApplyTo(request);
        Assert.Contains(new KeyValuePair<string, string>("user_email", "a@x.com|b@x.com"), request.Query);
        Assert.Contains(new KeyValuePair<string, string>("severity", "WARN"), request.Query);
        Assert.Contains(new KeyValuePair<string, string>("after", "1589469516170"), request.Query);
        Assert.Contains(new KeyValuePair<string, string>("order", "ASC"), request.Query);

        var abr = new EventsRequest(HttpMethod.Get, "Events", "/events");
        new Abr.EventsQuery { StartDate = new DateOnly(2022, 1, 23), Code = Abr.EventCode.AdminByRequestWorkstationInstalled }.ApplyTo(abr);
        Assert.Contains(new KeyValuePair<string, string>("startdate", "2022-01-23"), abr.Query);
        Assert.Contains(new KeyValuePair<string, string>("code", "40"), abr.Query);
    }

    [Fact]
    public async Task The_client_can_be_mocked_by_subclassing()
    {
        var fake = new FakeAbrClient();
        var items = new List<Abr.Event>();
        await foreach (var e in fake.GetEventsAsync())
        {
            items.Add(e);
        }

        Assert.Equal(new long[] { 1, 2 }, items.Select(e => e.Id));
        var resumed = await fake.GetEventsAsync().AsPages("after-1").ToListAsync();
        Assert.Equal(new long[] { 2 }, resumed.SelectMany(p => p.Items).Select(e => e.Id));
        Assert.Null(resumed.Single().GetRawResponse());
    }

    [Fact]
    public void Ordered_enums_compare_by_the_contracts_order_and_keep_unknown_values()
    {
        Assert.True(Banyan.Severity.Error.CompareTo(Banyan.Severity.Info) > 0);
        Assert.Equal(3, Banyan.Severity.Error.Rank);
        var unknown = Banyan.Severity.Parse("CRITICAL");
        Assert.False(unknown.IsKnown);
        Assert.Equal("CRITICAL", unknown.ToString());
        Assert.Equal(Banyan.SortOrder.Ascending, Banyan.SortOrder.Parse("ASC"));
    }

    private sealed class FakeAbrClient : Abr.AdminByRequestClient
    {
        // A mocked list method: pages made in code through the runtime's EventsPageable.FromPages.
        public override EventsBindings.Runtime.Paging.EventsPageable<Abr.Event> GetEventsAsync(Abr.EventsQuery? query = null, CancellationToken cancellationToken = default) =>
            EventsBindings.Runtime.Paging.EventsPageable.FromPages(new[]
            {
                new EventsBindings.Runtime.Paging.EventsPage<Abr.Event>(new[] { Abr.AdminByRequestModelFactory.Event(id: 1, eventCode: Abr.EventCode.AdminByRequestWorkstationInstalled) }, "after-1"),
                new EventsBindings.Runtime.Paging.EventsPage<Abr.Event>(new[] { Abr.AdminByRequestModelFactory.Event(id: 2, eventCode: 999) }, null),
            });
    }
}
