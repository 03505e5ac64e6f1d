using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>
/// Issue 14, bugs 4 and 5, over a copy of the Admin By Request contract with an Okta-like error body and two
/// opaque parameters: the 400 explanation goes into exactly the fields the contract's error names (never into
/// the first string property), and an opaque parameter is answered 501 naming it (or ignored with
/// <c>mock: ignore</c>), recorded as not executed in the journal.
/// </summary>
public sealed class OpaqueAndErrorFieldsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mock-opaque-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<MockServerHost> StartAsync()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(TestContracts.ContractsDirectory, "adminbyrequest.events.yaml"));
        text = Replace(text, "parameters:\n", "parameters:\n  filter: { type: string, semantics: { kind: opaque } }\n  q: { type: string, semantics: { kind: opaque, mock: ignore } }\n");
        text = Replace(text, "    parameters: [startid, take, last, code, days, startdate, enddate]", "    parameters: [startid, take, last, code, days, startdate, enddate, filter, q]");
        text = Replace(text, "models:\n", "models:\n  Problem:\n    fields:\n      - { json: errorCode, type: string }\n      - { json: errorSummary, type: string }\n      - { json: errorParameter, type: string, optional: true }\n      - { json: errorCauses, type: json }\n");
        text = Replace(text, "    model: ErrorMessage\n    body: '{\"Message\":\"The request is invalid.\"}'\n    fields: { message: Message }\n",
            "    model: Problem\n    body: '{\"errorCode\":\"E0000001\",\"errorSummary\":\"Api validation failed\",\"errorCauses\":[]}'\n    fields: { message: errorSummary, parameter: errorParameter }\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "adminbyrequest.events.yaml"), text);
        var host = new MockServerHost(new MockServerOptions { Port = 0, Events = 60, Seed = 3, ContractsDirectory = _dir, HotReload = false });
        await host.StartAsync();
        return host;
    }

    private static string Replace(string text, string old, string replacement)
    {
        Assert.Contains(old, text, StringComparison.Ordinal);
        var at = text.IndexOf(old, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + old.Length)..];
    }

    private static async Task<(int Status, JsonElement Body)> GetAsync(MockServerHost host, string path)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("apikey", "abr-demo-key");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task The_400_explanation_fills_exactly_the_declared_fields()
    {
        await using var host = await StartAsync();
        Assert.DoesNotContain(host.Messages, m => m.Contains("EB1", StringComparison.Ordinal));

        var (status, body) = await GetAsync(host, "/adminbyrequest/events?take=10001");

        Assert.Equal(400, status);
        Assert.Equal("E0000001", body.GetProperty("errorCode").GetString());
        Assert.Contains("'take'", body.GetProperty("errorSummary").GetString(), StringComparison.Ordinal);
        Assert.Contains("10000", body.GetProperty("errorSummary").GetString(), StringComparison.Ordinal);
        Assert.Equal("take", body.GetProperty("errorParameter").GetString());
        Assert.Equal(new[] { "errorCode", "errorSummary", "errorCauses", "errorParameter" }, body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task An_opaque_parameter_is_answered_501_naming_it_and_journaled_as_not_executed()
    {
        await using var host = await StartAsync();

        var (status, body) = await GetAsync(host, "/adminbyrequest/events?filter=garbage");

        Assert.Equal(501, status);
        Assert.Equal("filter", body.GetProperty("parameter").GetString());
        Assert.Contains("'filter'", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        var journal = await JournalAsync(host);
        Assert.Equal("filter", journal.GetProperty("notExecutedParameters")[0].GetString());
    }

    [Fact]
    public async Task An_opaque_parameter_the_contract_lets_the_mock_ignore_is_answered_and_journaled_as_not_executed()
    {
        await using var host = await StartAsync();

        var (status, _) = await GetAsync(host, "/adminbyrequest/events?q=anything");
        var (plain, _) = await GetAsync(host, "/adminbyrequest/events");

        Assert.Equal(200, status);
        Assert.Equal(200, plain);
        var journal = await JournalAsync(host, last: 2);
        Assert.Equal("q", journal.GetProperty("notExecutedParameters")[0].GetString());
    }

    private static async Task<JsonElement> JournalAsync(MockServerHost host, int last = 1)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var requests = JsonDocument.Parse(await http.GetStringAsync("/__admin/requests")).RootElement.GetProperty("requests");
        var all = requests.EnumerateArray().Where(r => r.GetProperty("path").GetString()!.Contains("/events", StringComparison.Ordinal)).ToList();
        return all.OrderBy(r => r.GetProperty("id").GetInt64()).ElementAt(all.Count - last).Clone();
    }
}
