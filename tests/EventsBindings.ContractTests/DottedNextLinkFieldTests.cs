using System.Net.Http.Headers;
using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Json;
using EventsBindings.Runtime.Paging;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// Issue 14: a next link in a body field whose name holds a dot (OData's <c>@odata.nextLink</c>), written
/// <c>field: "['@odata.nextLink']"</c>. A copy of the next-link test contract (its Feed endpoint) is served by the
/// in-process mock, which writes the link into the property named <c>@odata.nextLink</c> (not <c>@odata</c> →
/// <c>nextLink</c>); the runtime pager, given the spec's parsed path, walks every page with no duplicate and no gap.
/// </summary>
public sealed class DottedNextLinkFieldTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("odata-nextlink-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(MockServerHost Host, ContractSpec Contract)> StartAsync()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "fixtures", "nextlink", "linked.events.yaml"));
        const string Old = "      nextLink: { field: links.next }\n";
        Assert.Contains(Old, text, StringComparison.Ordinal);
        text = text.Replace(Old, "      nextLink: { field: \"['@odata.nextLink']\" }\n", StringComparison.Ordinal);
        var path = Path.Combine(_dir, "linked.events.yaml");
        await File.WriteAllTextAsync(path, text);
        var parsed = ContractReader.ParseFile(path);
        Assert.Empty(parsed.Diagnostics);
        var host = new MockServerHost(new MockServerOptions { Port = 0, Events = 237, Seed = 5, ContractsDirectory = _dir, HotReload = false });
        await host.StartAsync();
        return (host, parsed.Contract!);
    }

    [Fact]
    public async Task The_pager_walks_an_odata_nextLink_field_to_the_end_with_no_duplicate_and_no_gap()
    {
        var (host, contract) = await StartAsync();
        await using var running = host;
        var feed = contract.FindEndpoint("Feed")!;
        var field = feed.Pagination!.NextLink!.Field!;
        Assert.Equal(new[] { "@odata.nextLink" }, field.Segments);

        var apiBase = new Uri(host.BaseAddress, "linked/api/v1");
        using var http = new HttpClient();

        // The mock writes the link into the property named "@odata.nextLink" at the envelope's top level.
        using (var request = new HttpRequestMessage(HttpMethod.Get, apiBase + "/feed?limit=10"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "linked-demo-token");
            using var response = await http.SendAsync(request);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("@odata.nextLink").ValueKind);
            Assert.False(doc.RootElement.TryGetProperty("@odata", out _));
        }

        // The oracle: every item in one page.
        var oracle = await IdsAsync(http, apiBase + "/feed?limit=1000");
        Assert.Equal(237, oracle.Count);

        var api = new ApiDescriptor("Linked", new[] { new AuthSchemeDescriptor("bearer", AuthSchemeKind.Bearer) }, new[] { new ErrorDescriptor(400, "Bad input.") });
        var pipeline = new EventsPipeline(http, apiBase, new EventsKeyCredential("linked-demo-token"), api, new EventsClientOptions());
        var next = NextLinkLocation.Field(field.Segments);
        var pages = await Pager.LinkPagesAsync<JsonElement>(apiBase, isToken: false, PageStop.Absent, (link, ct) =>
        {
            var request = new EventsRequest(HttpMethod.Get, "Feed", "/feed");
            request.AppendPath("/feed");
            request.AddQuery("limit", "10");
            if (link is not null)
            {
                request.FollowLink(new Uri(link, UriKind.Absolute));
            }

            return pipeline.SendPageAsync(request, static body => JsonPayload.ReadList(body, "items", static (ref Utf8JsonReader r) => JsonElement.ParseValue(ref r)), next, ct);
        }, null, default).ToListAsync();

        Assert.Equal(24, pages.Count);
        var walked = pages.SelectMany(p => p.Items).Select(e => e.GetProperty("uuid").GetString()!).ToList();
        Assert.Equal(oracle, walked); // same items, same order: no duplicate, no gap
    }

    private static async Task<List<string>> IdsAsync(HttpClient http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "linked-demo-token");
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("@odata.nextLink").ValueKind);
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("uuid").GetString()!).ToList();
    }
}
