using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Kit.Translation;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Json;
using Xunit;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Kit.Tests;

/// <summary>
/// The generated clients read the documented examples from the real WireMock serving the translated
/// mappings: the translations and the clients agree on paths, auth headers, envelopes and payloads.
/// </summary>
public sealed class WireMockClientTests
{
    [Fact]
    public async Task Generated_clients_read_the_documented_examples_from_WireMock()
    {
        var dir = Contracts.TempDir("wiremock-clients");
        ContractTranslations.WriteWireMock(Contracts.Everything, dir);
        var port = ExternalTools.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        await using var wiremock = await ToolProcess.StartAsync(
            "java",
            new[] { "-jar", ExternalTools.WireMockJar, "--port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--root-dir", dir, "--disable-banner" },
            new Uri(baseUrl, "/__admin/health"),
            TimeSpan.FromSeconds(60));

        var abrContract = Contracts.Everything.Single(c => c.Name == "AdminByRequest");
        var banyanContract = Contracts.Everything.Single(c => c.Name == "Banyan");
        var noRetry = new Abr.AdminByRequestClientOptions();
        noRetry.Retry.MaxRetries = 0;
        var abr = new Abr.AdminByRequestClient(new Uri(baseUrl, abrContract.Mock!.Prefix + "/"), new EventsKeyCredential("abr-demo-key"), noRetry);

        var page = await abr.GetEventsAsync().AsPages().FirstAsync();
        AssertSameItems(abrContract.FindEndpoint("Events")!.Examples.Single().Body, null, page.Items.Select(e => Json(w => ContractJson.Write(w, e))));
        Abr.Event one = await abr.GetEventAsync(53820480);
        AssertSameJson(abrContract.FindEndpoint("Event")!.Examples.Single().Body, Json(w => ContractJson.Write(w, one)));
        var missing = await Assert.ThrowsAsync<EventsNotFoundException>(() => abr.GetEventAsync(1));
        Assert.Equal(404, missing.Status);
        // The contract has no refresh-token scheme: the client refuses such a credential up front.
        Assert.Throws<ArgumentException>(() => new Abr.AdminByRequestClient(new Uri(baseUrl, abrContract.Mock!.Prefix + "/"), new RefreshTokenCredential("x"), noRetry));

        var banyanOptions = new Banyan.BanyanClientOptions();
        banyanOptions.Retry.MaxRetries = 0;
        var banyan = new Banyan.BanyanClient(new Uri(baseUrl, banyanContract.Mock!.Prefix + "/"), new EventsKeyCredential("banyan-demo-token"), banyanOptions);
        var events = await banyan.GetEventsAsync().AsPages().FirstAsync();
        var eventExamples = banyanContract.FindEndpoint("Events")!.Examples;
        Assert.Contains(eventExamples, example => SameItems(example.Body, "data", events.Items.Select(e => Json(w => ContractJson.Write(w, e)))));
        var feed = await banyan.GetEventFeedAsync().AsPages().FirstAsync();
        AssertSameItems(banyanContract.FindEndpoint("EventFeed")!.Examples.Single().Body, "data", feed.Items.Select(e => Json(w => ContractJson.Write(w, e))));
        var count = await banyan.GetEventCountAsync();
        Assert.Equal(JsonNode.Parse(banyanContract.FindEndpoint("EventCount")!.Examples.Single().Body)!["data"]!.GetValue<long>(), count);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static bool SameItems(string exampleBody, string? envelope, IEnumerable<string> items)
    {
        var node = JsonNode.Parse(exampleBody)!;
        var expected = (envelope is null ? node : node[envelope]!).AsArray();
        var actual = new JsonArray(items.Select(i => JsonNode.Parse(i)).ToArray());
        return JsonNode.DeepEquals(expected, actual);
    }

    private static void AssertSameItems(string exampleBody, string? envelope, IEnumerable<string> items) =>
        Assert.True(SameItems(exampleBody, envelope, items), "the client's items differ from the documented example");

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual {actual}");
}
