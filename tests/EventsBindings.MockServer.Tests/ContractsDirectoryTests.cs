using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>Serving contracts from a directory: edits are picked up, broken contracts keep the last good one, caps come from the contract.</summary>
public sealed class ContractsDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mock-contracts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<MockServerHost> StartAsync(Action<MockServerOptions>? configure = null)
    {
        foreach (var file in Directory.GetFiles(TestContracts.ContractsDirectory, "*.yaml"))
        {
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
        }

        var options = new MockServerOptions { Port = 0, Events = 60, Seed = 3, ContractsDirectory = _dir };
        configure?.Invoke(options);
        var host = new MockServerHost(options);
        await host.StartAsync();
        return host;
    }

    private static async Task<int> StatusAsync(MockServerHost host, string path, string key = "abr-demo-key")
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("apikey", key);
        return (int)(await http.SendAsync(request)).StatusCode;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    [Fact]
    public async Task An_edited_contract_is_reloaded_and_a_broken_one_keeps_the_last_good()
    {
        await using var host = await StartAsync();
        var file = Path.Combine(_dir, "adminbyrequest.events.yaml");
        Assert.Equal(200, await StatusAsync(host, "/adminbyrequest/events"));

        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("prefix: /adminbyrequest", "prefix: /abr", StringComparison.Ordinal));
        Assert.True(await EventuallyAsync(async () => await StatusAsync(host, "/abr/events") == 200), "the watcher did not remount the API");
        Assert.Equal(404, await StatusAsync(host, "/adminbyrequest/events"));

        await File.WriteAllTextAsync(file, "format: 1\nname: [unclosed\n");
        Assert.True(await EventuallyAsync(() => Task.FromResult(host.Messages.Any(m => m.Contains("EB1", StringComparison.Ordinal)))), string.Join("\n", host.Messages));
        Assert.Equal(200, await StatusAsync(host, "/abr/events"));
        Assert.Contains(host.Messages, m => m.Contains("last good version", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_credential_in_the_contract_applies_after_reload()
    {
        await using var host = await StartAsync(o => o.HotReload = false);
        var file = Path.Combine(_dir, "adminbyrequest.events.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("value: abr-demo-key", "value: another-key", StringComparison.Ordinal));
        host.Reload();
        Assert.Equal(401, await StatusAsync(host, "/adminbyrequest/events"));
        Assert.Equal(200, await StatusAsync(host, "/adminbyrequest/events", "another-key"));
    }

    [Fact]
    public async Task The_count_is_capped_as_the_contract_says()
    {
        var banyan = Path.Combine(_dir, "banyan.events.yaml");
        await using var host = await StartAsync(_ => File.WriteAllText(banyan, File.ReadAllText(banyan).Replace("cap: 10001", "cap: 25", StringComparison.Ordinal)));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "banyan-demo-token");
        var all = JsonDocument.Parse(await http.GetStringAsync("/banyan/api/v1/events/count")).RootElement.GetProperty("data").GetInt64();
        Assert.Equal(25, all);
        var few = JsonDocument.Parse(await http.GetStringAsync("/banyan/api/v1/events/count?severity=ERROR&type=Registration")).RootElement.GetProperty("data").GetInt64();
        Assert.InRange(few, 1, 24);
    }

    [Fact]
    public async Task Credentials_and_data_files_come_from_options()
    {
        var data = Path.Combine(_dir, "data.json");
        await using var host = await StartAsync(o =>
        {
            File.WriteAllText(data, "{\"AdminByRequest\": [{\"id\": 99999999, \"eventCode\": 5, \"eventLevel\": 0, \"eventText\": \"mine\", \"eventTimeUTC\": \"2020-01-01T00:00:00\", \"computerName\": \"MINE\"}]}");
            o.DataFiles.Add(data);
            o.Credentials.Add("AdminByRequest:apiKey=s3cret");
        });
        Assert.Equal(401, await StatusAsync(host, "/adminbyrequest/events"));
        Assert.Equal(200, await StatusAsync(host, "/adminbyrequest/events/99999999", "s3cret"));
    }

    [Fact]
    public async Task The_journal_redacts_credentials_sent_in_the_query()
    {
        // A test contract whose API-key scheme is named access_key; a client sends the key as a query
        // parameter of that name, or under any name.
        var abr = Path.Combine(_dir, "adminbyrequest.events.yaml");
        await using var host = await StartAsync(_ => File.WriteAllText(abr, File.ReadAllText(abr).Replace("header: apikey", "header: access_key", StringComparison.Ordinal)));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/adminbyrequest/events?access_key=key%2Dsent%2Din%2Dthe%2Dquery&colour=blue&note=abr-demo-key&take=2");
        request.Headers.Add("access_key", "abr-demo-key");
        Assert.Equal(200, (int)(await http.SendAsync(request)).StatusCode);

        var entry = Assert.Single(host.Requests(new Admin.RequestFilter { Api = "AdminByRequest" }));
        Assert.Equal("?access_key=***&colour=blue&note=***&take=2", entry.Query);
        Assert.Equal("***", entry.Headers["access_key"]);
        var journal = await http.GetStringAsync("/__admin/requests");
        Assert.DoesNotContain("key-sent-in-the-query", Uri.UnescapeDataString(journal), StringComparison.Ordinal);
        Assert.DoesNotContain("abr-demo-key", journal, StringComparison.Ordinal);
        Assert.Contains("colour=blue", journal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_journal_redacts_issued_tokens_and_the_secrets_of_the_contracts_mounted_by_a_reload()
    {
        await using var host = await StartAsync(o => o.HotReload = false);
        using var http = new HttpClient();
        using var exchange = new HttpRequestMessage(HttpMethod.Post, new Uri(host.ApiBaseAddress("Banyan"), TestContracts.Get("Banyan").Endpoints.Single(e => e.Response.Kind == Spec.Model.ResponseKind.Token).Path.TrimStart('/')));
        exchange.Headers.Authorization = new("Bearer", "banyan-demo-refresh");
        using var exchanged = await http.SendAsync(exchange);
        var tokenField = TestContracts.Get("Banyan").AuthSchemes.Single(s => s.ExchangeEndpoint is not null).TokenField!;
        var token = JsonDocument.Parse(await exchanged.Content.ReadAsStringAsync()).RootElement.GetProperty(tokenField).GetString()!;
        var lookalike = "mock-access-" + new string('0', 32);

        // Before the reload: an issued token is redacted wherever it is sent; a value of its shape that
        // was never issued, and a header no contract names, are kept.
        using var before = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, $"/adminbyrequest/events?note={token}&other={lookalike}"));
        before.Headers.Add("apikey", "abr-demo-key");
        before.Headers.Add("X-Note", token);
        before.Headers.Add("access_key", "plain-value");
        Assert.Equal(200, (int)(await http.SendAsync(before)).StatusCode);
        var first = Assert.Single(host.Requests(new Admin.RequestFilter { Api = "AdminByRequest" }));
        Assert.Equal($"?note=***&other={lookalike}", first.Query);
        Assert.Equal("***", first.Headers["X-Note"]);
        Assert.Equal("***", first.Headers["apikey"]);
        Assert.Equal("plain-value", first.Headers["access_key"]);

        // After the reload: the new scheme header and the new demo credential are secrets.
        var file = Path.Combine(_dir, "adminbyrequest.events.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("header: apikey", "header: access_key", StringComparison.Ordinal).Replace("value: abr-demo-key", "value: another-key", StringComparison.Ordinal));
        host.Reload();
        host.ClearRequests();
        using var after = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/adminbyrequest/events?note=another-key"));
        after.Headers.Add("access_key", "another-key");
        after.Headers.Add("X-Note", "another-key");
        Assert.Equal(200, (int)(await http.SendAsync(after)).StatusCode);
        var second = Assert.Single(host.Requests(new Admin.RequestFilter { Api = "AdminByRequest" }));
        Assert.Equal("?note=***", second.Query);
        Assert.Equal("***", second.Headers["access_key"]);
        Assert.Equal("***", second.Headers["X-Note"]);
    }

    [Theory]
    [InlineData("a.yaml", null, true)]
    [InlineData("a.YML", null, true)]
    [InlineData("notes.txt", null, false)]
    [InlineData("a.yaml", "a.yaml.tmp", true)]
    [InlineData("a.yaml.tmp", "a.yaml", true)]
    [InlineData("notes.bak", "notes.txt", false)]
    public void Only_changes_of_contract_files_trigger_a_reload(string name, string? oldName, bool concerns)
    {
        FileSystemEventArgs change = oldName is null
            ? new FileSystemEventArgs(WatcherChangeTypes.Changed, _dir, name)
            : new RenamedEventArgs(WatcherChangeTypes.Renamed, _dir, name, oldName);
        Assert.Equal(concerns, Contracts.ContractRegistry.Concerns(change));
    }
}

/// <summary>The same seed and clock give the same data.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public async Task Same_seed_same_items()
    {
        var bodies = new List<string>();
        foreach (var _ in new[] { 1, 2 })
        {
            await using var host = new MockServerHost(new MockServerOptions { Port = 0, Events = 50, Seed = 11, TimeProvider = new FixedTimeProvider(TestMockServerFixture.Now) });
            await host.StartAsync();
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new("Bearer", "banyan-demo-token");
            bodies.Add(await http.GetStringAsync("/banyan/api/v1/events?limit=50") + await http.GetStringAsync("/banyan/api/v1/events/feed?limit=50"));
        }

        Assert.Equal(bodies[0], bodies[1]);
    }
}
