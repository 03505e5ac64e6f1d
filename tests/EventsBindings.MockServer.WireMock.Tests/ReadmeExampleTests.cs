using EventsBindings.AdminByRequest;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace EventsBindings.MockServer.WireMock.Tests;

/// <summary>The README's "Already using WireMock.Net?" example, compiled and run as it is written there.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task The_readme_example_runs()
    {
        // ---- README: begin ----
        using var server = WireMockServer.StartWithAdminInterface();   // your server, as you start it today
        using var contracts = server.AddContracts(new MockServerOptions { Events = 300, Seed = 7 });

        // Your own mappings win where they match (WireMock.Net's default priority 0 beats the contract's 100,000):
        server.Given(Request.Create().UsingGet().WithPath("/adminbyrequest/events").WithParam("take", "2"))
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "1"));

        // Everything else is the contract, executed: filters, paging, auth, errors.
        using var http = new HttpClient();
        var client = new AdminByRequestClient(http, contracts.ApiBaseAddress("AdminByRequest"), new EventsKeyCredential("abr-demo-key"));
        var first = await client.GetEventsAsync(new EventsQuery { Take = 5 }).AsPages().FirstAsync();
        foreach (var e in first.Items)
        {
            Console.WriteLine($"{e.Id} {e.EventText}");
        }

        // WireMock.Net's own admin API lists the contract's mappings and journals every request, credentials as ***:
        //   GET {server.Url}/__admin/mappings, GET {server.Url}/__admin/requests
        // ---- README: end ----

        using var stubbed = new HttpRequestMessage(HttpMethod.Get, new Uri(contracts.ApiBaseAddress("AdminByRequest"), "events?take=2"));
        stubbed.Headers.Add("apikey", "abr-demo-key");
        Assert.Equal(503, (int)(await http.SendAsync(stubbed)).StatusCode);
        Assert.Equal(5, first.Items.Count);
        var requests = await http.GetStringAsync(new Uri(new Uri(server.Url!), "/__admin/requests"));
        Assert.DoesNotContain("abr-demo-key", requests, StringComparison.Ordinal);
    }
}
