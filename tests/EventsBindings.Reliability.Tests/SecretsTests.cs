using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Reliability.Tests.Support;
using EventsBindings.Runtime;
using Xunit;
using Xunit.Abstractions;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Reliability.Tests;

/// <summary>
/// The API key, bearer and refresh tokens (right and wrong ones) and the access tokens the mock issues never
/// appear in exception messages (whole exception chains), logs at every level, ToString() of options,
/// credentials and clients, the mock's messages or its request journal, whatever happens: success, 401,
/// 5xx beyond the retries, resets, truncated and malformed bodies, throttling, token exchange failures.
/// </summary>
/// <remarks>
/// Named clients on purpose, for now: the two APIs carry the four credential kinds this test scans for (an API key
/// header, basic, bearer, and a refresh token exchanged for access tokens the mock issues), each with the fault
/// scenarios written against it. It does not yet cover every contract: a contract added as YAML (such as one with a
/// custom Authorization scheme) is not scanned here. The generic form would build each client and its export through
/// the registry (<c>EventsContracts.Exportable</c>) with a secret per scheme of the contract's mock credentials.
/// </remarks>
[Trait("Category", "Reliability")]
public sealed partial class SecretsTests(ITestOutputHelper output)
{
    [GeneratedRegex("mock-access-[0-9a-f]{32}")]
    private static partial Regex IssuedToken();

    [Fact]
    public async Task Secrets_never_appear_in_anything_captured()
    {
        var id = Guid.NewGuid().ToString("N");
        var abrKey = "abr-secret-" + id;
        var bearer = "banyan-bearer-secret-" + id;
        var refresh = "banyan-refresh-secret-" + id;
        var wrongKey = "wrong-key-secret-" + id;
        var wrongRefresh = "wrong-refresh-secret-" + id;
        var secrets = new[] { abrKey, bearer, refresh, wrongKey, wrongRefresh };

        var mockLog = new List<string>();
        var options = new MockServerOptions { Port = 0, Events = 200, Seed = 5, HotReload = false, TimeProvider = new FrozenClock(Mock.Now) };
        options.Credentials.Add("AdminByRequest:apiKey=" + abrKey);
        options.Credentials.Add("Banyan:bearer=" + bearer);
        options.Credentials.Add("Banyan:refresh=" + refresh);
        options.Log = m =>
        {
            lock (mockLog)
            {
                mockLog.Add(m);
            }
        };
        await using var host = new MockServerHost(options);
        await host.StartAsync();
        using var admin = new HttpClient { BaseAddress = host.BaseAddress };
        var abrUrl = new Uri(host.BaseAddress, host.Apis.Single(a => a.Name == "AdminByRequest").Prefix.TrimStart('/'));
        var banyanUrl = new Uri(host.BaseAddress, host.Apis.Single(a => a.Name == "Banyan").Prefix.TrimStart('/'));

        var logs = new CapturingLoggerFactory();
        var captured = new List<string>();
        var outcomes = new List<string>();
        EventsRetryOptions Retry() => new() { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(10), MaxRetryAfter = TimeSpan.FromMilliseconds(100) };
        Abr.AdminByRequestClientOptions AbrOptions(string? scheme = null) => new() { LoggerFactory = logs, Retry = Retry(), AttemptTimeout = TimeSpan.FromSeconds(5), AuthScheme = scheme };
        Banyan.BanyanClientOptions BanyanOptions() => new() { LoggerFactory = logs, Retry = Retry(), AttemptTimeout = TimeSpan.FromSeconds(5) };

        async Task Try(string name, Func<Task> action)
        {
            try
            {
                await action();
                outcomes.Add(name + ": ok");
            }
            catch (Exception ex)
            {
                outcomes.Add(name + ": " + ex.GetType().Name);
                captured.Add(ex.ToString());
                captured.Add(ex.Message);
                if (ex is EventsRequestException r)
                {
                    captured.Add(r.BodyExcerpt ?? string.Empty);
                    captured.Add(r.Meaning ?? string.Empty);
                }

                foreach (var key in ex.Data.Keys)
                {
                    captured.Add(key + "=" + ex.Data[key]);
                }
            }
        }

        async Task Fault(string api, string endpoint, string fault, int times = 50)
        {
            await admin.DeleteAsync("__admin/faults");
            var rule = new JsonObject { ["api"] = api, ["endpoint"] = endpoint, ["fault"] = fault, ["times"] = times, ["retryAfter"] = 30 };
            (await admin.PostAsync("__admin/faults", new StringContent(rule.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        foreach (var scheme in new[] { "apiKey", "basic" })
        {
            var good = new Abr.AdminByRequestClient(abrUrl, new EventsKeyCredential(abrKey), AbrOptions(scheme));
            var bad = new Abr.AdminByRequestClient(abrUrl, new EventsKeyCredential(wrongKey), AbrOptions(scheme));
            captured.Add(good.ToString()!);
            captured.Add(AbrOptions(scheme).ToString()!);
            await Try($"abr {scheme} ok", async () => await good.GetEventsAsync(new Abr.EventsQuery { Take = 5, Days = 3650 }).AsPages().FirstAsync());
            await Try($"abr {scheme} 401", async () => await bad.GetEventsAsync(new Abr.EventsQuery { Take = 5 }).AsPages().FirstAsync());
            await Try($"abr {scheme} take beyond the maximum (refused by the client)", async () => await good.GetEventsAsync(new Abr.EventsQuery { Take = 100_000 }).AsPages().FirstAsync());
            foreach (var fault in new[] { "500", "503", "429", "reset", "truncate", "malformed", "404", "403" })
            {
                await Fault("AdminByRequest", "Events", fault);
                await Try($"abr {scheme} {fault}", async () => await good.GetEventsAsync(new Abr.EventsQuery { Take = 5 }).AsPages().FirstAsync());
                await Try($"abr {scheme} {fault} export", async () =>
                {
                    var dir = Directory.CreateTempSubdirectory("eb-secrets-");
                    try
                    {
                        var sink = Runtime.Export.NdjsonFileSink.Create<Abr.Event>(Path.Combine(dir.FullName, "e.ndjson"));
                        var export = good.CreateEventsExport(new Runtime.Export.FileCheckpointStore(Path.Combine(dir.FullName, "c")), sink, pageSize: 50, options: new Runtime.Export.ExportOptions { LoggerFactory = logs });
                        await export.RunOnceAsync();
                        captured.Add(File.ReadAllText(Path.Combine(dir.FullName, "c")));
                    }
                    finally
                    {
                        dir.Delete(recursive: true);
                    }
                });
            }

            await admin.DeleteAsync("__admin/faults");
        }

        var banyanGood = new Banyan.BanyanClient(banyanUrl, new EventsKeyCredential(bearer), BanyanOptions());
        var banyanRefresh = new Banyan.BanyanClient(banyanUrl, new RefreshTokenCredential(refresh), BanyanOptions());
        var banyanBad = new Banyan.BanyanClient(banyanUrl, new EventsKeyCredential(wrongKey), BanyanOptions());
        var banyanBadRefresh = new Banyan.BanyanClient(banyanUrl, new RefreshTokenCredential(wrongRefresh), BanyanOptions());
        captured.Add(banyanGood.ToString()!);
        captured.Add(BanyanOptions().ToString()!);
        captured.Add(new EventsKeyCredential(bearer).ToString());
        captured.Add(new RefreshTokenCredential(refresh).ToString());
        await Try("banyan bearer ok", async () => await banyanGood.GetEventsAsync(new Banyan.EventsQuery { Limit = 5 }).AsPages().FirstAsync());
        await Try("banyan refresh ok", async () => await banyanRefresh.GetEventsAsync(new Banyan.EventsQuery { Limit = 5 }).AsPages().FirstAsync());
        await Try("banyan count ok", async () => await banyanRefresh.GetEventCountAsync());
        await Try("banyan bearer 401", async () => await banyanBad.GetEventsAsync(new Banyan.EventsQuery { Limit = 5 }).AsPages().FirstAsync());
        await Try("banyan refresh 401", async () => await banyanBadRefresh.GetEventsAsync(new Banyan.EventsQuery { Limit = 5 }).AsPages().FirstAsync());
        foreach (var fault in new[] { "500", "429", "reset", "truncate", "malformed" })
        {
            await Fault("Banyan", "RefreshToken", fault);
            var fresh = new Banyan.BanyanClient(banyanUrl, new RefreshTokenCredential(refresh), BanyanOptions());
            await Try($"banyan exchange {fault}", async () => await fresh.GetEventsAsync(new Banyan.EventsQuery { Limit = 5 }).AsPages().FirstAsync());
            await Fault("Banyan", "Events", fault);
            await Try($"banyan events {fault} (refresh)", async () => await banyanRefresh.GetEventsAsync(new Banyan.EventsQuery { Limit = 5 }).AsPages().FirstAsync());
            await Try($"banyan events {fault} (bearer)", async () => await banyanGood.GetEventsAsync(new Banyan.EventsQuery { Limit = 5 }).AsPages().FirstAsync());
        }

        await admin.DeleteAsync("__admin/faults");
        var journal = await admin.GetStringAsync("__admin/requests");
        var faults = await admin.GetStringAsync("__admin/faults");
        var everything = new List<(string Source, string Text)>();
        everything.AddRange(captured.Select(c => ("exception/ToString", c)));
        everything.AddRange(logs.Lines.Select(l => ("log", l)));
        everything.AddRange(mockLog.Select(l => ("mock log", l)));
        everything.AddRange(host.Messages.Select(l => ("mock messages", l)));
        everything.Add(("journal", journal));
        everything.Add(("fault rules", faults));
        var leaks = new List<string>();
        foreach (var (source, text) in everything)
        {
            foreach (var secret in secrets)
            {
                if (text.Contains(secret, StringComparison.Ordinal) || text.Contains(secret.ToUpperInvariant(), StringComparison.Ordinal))
                {
                    leaks.Add($"{source}: contains {secret[..12]}…: {text[..Math.Min(300, text.Length)]}");
                }
            }

            if (IssuedToken().IsMatch(text))
            {
                leaks.Add($"{source}: contains an issued access token: {text[..Math.Min(300, text.Length)]}");
            }
        }

        // The journal saw the requests (so the scan is not vacuous), with credentials redacted.
        Assert.Contains("***", journal, StringComparison.Ordinal);
        var figures = new Dictionary<string, object?>
        {
            ["scenarios"] = outcomes.Count,
            ["failures"] = outcomes.Count(o => !o.EndsWith(": ok", StringComparison.Ordinal)),
            ["textsScanned"] = everything.Count,
            ["charactersScanned"] = everything.Sum(e => (long)e.Text.Length),
            ["logLines"] = logs.Lines.Count,
            ["secretsSearched"] = secrets.Length + 1,
            ["leaks"] = leaks.Count,
            ["outcomes"] = outcomes,
        };
        output.WriteLine(Figures.Record("secrets", figures));
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(10)));
        Assert.True(logs.Lines.Count > 20, "Too few log lines: the logger was not used.");
        Assert.True(outcomes.Count(o => !o.EndsWith(": ok", StringComparison.Ordinal)) > 20, "Too few failures: the scan is vacuous.\n" + string.Join("\n", outcomes));
    }
}
