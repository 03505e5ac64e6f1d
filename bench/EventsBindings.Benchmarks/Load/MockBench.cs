using System.Globalization;
using System.Text.Json;
using EventsBindings.Bench.EndToEnd;

namespace EventsBindings.Bench.Load;

/// <summary>
/// The mock server under load: filtered, paged queries over a dataset of N Admin By Request events,
/// compared with the Java WireMock standalone server answering the equivalent static stub (a body of
/// the same size, captured from the mock), with the same load generator and URLs. Also the seek cost
/// of the last page against the first, for cursor paging (Admin By Request) and offset paging (Banyan).
/// </summary>
public static class MockBench
{
    private static readonly Dictionary<string, string> AbrAuth = new() { ["apikey"] = EndToEndBench.ApiKey };

    public static async Task<BenchResult> RunAsync(Options options)
    {
        var events = options.Events ?? (options.Quick ? 20_000 : 1_000_000);
        var duration = TimeSpan.FromSeconds(options.Seconds ?? (options.Quick ? 2 : 20));
        var warmup = TimeSpan.FromSeconds(options.Quick ? 1 : 5);
        var workers = options.Workers ?? 16;
        var result = new BenchResult($"Mock server under load: {events:N0} events, {workers} connections, {duration.TotalSeconds:0} s per run");

        var (info, server) = await MockLauncher.LaunchAsync(options, "adminbyrequest", events).ConfigureAwait(false);
        try
        {
            result.Notes.Add($"mock server dataset: {info.Items:N0} items built in {info.StartupMs / 1000:0.0} s; working set {info.WorkingSetMb:0} MB");
            var baseUri = new Uri(info.Url);
            using var http = new HttpClient { BaseAddress = baseUri };
            var firstId = await IdAsync(http, "events?take=1&startdate=2000-01-01").ConfigureAwait(false);
            var lastId = await IdAsync(http, "events?last=1&startdate=2000-01-01").ConfigureAwait(false);
            var codes = await CodesAsync(http).ConfigureAwait(false);
            var span = lastId - firstId + 1;

            var mixes = new (string Name, Func<Random, string> Path)[]
            {
                ("paged: startid + take=100", r => $"events?take=100&startdate=2000-01-01&startid={firstId + r.NextInt64(span)}"),
                ("filtered: code + startid + take=100", r => $"events?take=100&startdate=2000-01-01&code={codes[r.Next(codes.Length)]}&startid={firstId + r.NextInt64(span)}"),
                ("filtered: date window + code + take=100", r => $"events?take=100&days=3650&code={codes[r.Next(codes.Length)]}&startid={firstId + r.NextInt64(span)}"),
            };

            // The same engine on WireMock.Net (the adapter), a second child over the same dataset (same seed).
            (ServeInfo Info, IAsyncDisposable Handle)? net = options.NoWireMockNet ? null : await MockLauncher.LaunchAsync(options, "adminbyrequest", events, "wiremock-net").ConfigureAwait(false);
            var jar = options.NoWireMock ? null : WireMockServer.FindJar();
            WireMockServer? wiremock = jar is null ? null : await WireMockServer.StartAsync(jar).ConfigureAwait(false);
            try
            {
                if (jar is null && !options.NoWireMock)
                {
                    result.Notes.Add("WireMock not found (run .ci/install-tools): WireMock rows skipped.");
                }

                if (wiremock is not null)
                {
                    // The JVM compiles hot code late: give WireMock one long warm-up before any measured run.
                    await wiremock.StubAsync(baseUri.AbsolutePath + "events", "apikey", EndToEndBench.ApiKey, await RepresentativeBodyAsync(http, mixes[0].Path).ConfigureAwait(false)).ConfigureAwait(false);
                    await LoadGenerator.RunAsync(new Uri(wiremock.BaseAddress, baseUri.AbsolutePath), mixes[0].Path, AbrAuth, workers, warmup, warmup * 2).ConfigureAwait(false);
                }

                foreach (var (name, path) in mixes)
                {
                    var ours = await LoadGenerator.RunAsync(baseUri, path, AbrAuth, workers, duration, warmup).ConfigureAwait(false);
                    AddRow(result, "EventsBindings mock (executes filters)", name, ours, null);
                    result.Values["mock." + name + ".rps"] = ours.RequestsPerSecond;
                    if (net is { } n)
                    {
                        var onNet = await LoadGenerator.RunAsync(new Uri(n.Info.Url), path, AbrAuth, workers, duration, warmup).ConfigureAwait(false);
                        AddRow(result, "same engine on WireMock.Net 2.31.0 (adapter)", name, onNet, ours.RequestsPerSecond);
                        result.Values["wiremocknet." + name + ".rps"] = onNet.RequestsPerSecond;
                    }

                    if (wiremock is not null)
                    {
                        var body = await RepresentativeBodyAsync(http, path).ConfigureAwait(false);
                        await wiremock.StubAsync(baseUri.AbsolutePath + "events", "apikey", EndToEndBench.ApiKey, body).ConfigureAwait(false);
                        var stubBase = new Uri(wiremock.BaseAddress, baseUri.AbsolutePath);
                        var theirs = await LoadGenerator.RunAsync(stubBase, path, AbrAuth, workers, duration, warmup).ConfigureAwait(false);
                        AddRow(result, "WireMock 3.13.2 static stub", name, theirs, ours.RequestsPerSecond);
                        result.Values["wiremock." + name + ".rps"] = theirs.RequestsPerSecond;
                        result.Values["ratio." + name] = ours.RequestsPerSecond / theirs.RequestsPerSecond;
                    }
                }
            }
            finally
            {
                if (wiremock is not null)
                {
                    await wiremock.DisposeAsync().ConfigureAwait(false);
                }

                if (net is { } n)
                {
                    result.Notes.Add($"WireMock.Net host: {n.Info.Items:N0} items built in {n.Info.StartupMs / 1000:0.0} s; working set {n.Info.WorkingSetMb:0} MB");
                    await n.Handle.DisposeAsync().ConfigureAwait(false);
                }
            }

            // Seek: first page vs last page, one request at a time.
            var requests = options.Quick ? 20 : 200;
            var first = await LoadGenerator.SequentialAsync(baseUri, $"events?take=100&startdate=2000-01-01&startid={firstId}", AbrAuth, requests).ConfigureAwait(false);
            var lastPageStart = await IdAsync(http, "events?last=100&startdate=2000-01-01", fromEnd: true).ConfigureAwait(false);
            var last = await LoadGenerator.SequentialAsync(baseUri, $"events?take=100&startdate=2000-01-01&startid={lastPageStart}", AbrAuth, requests).ConfigureAwait(false);
            AddSeek(result, "Admin By Request (cursor: startid)", first, last);
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        // Offset paging needs the Banyan dataset (a second server, started after the first has stopped).
        // Its items are ~8x larger than Admin By Request's and the mock keeps every item twice (raw JSON and
        // parsed at build time): 1,000,000 of them do not fit a small machine, so the seek uses 100,000.
        var banyanEvents = Math.Min(events, options.Quick ? events : 100_000);
        var (binfo, bserver) = await MockLauncher.LaunchAsync(options, "banyan", banyanEvents).ConfigureAwait(false);
        try
        {
            result.Notes.Add($"Banyan dataset: {binfo.Items:N0} items built in {binfo.StartupMs / 1000:0.0} s; working set {binfo.WorkingSetMb:0} MB");
            var auth = new Dictionary<string, string> { ["Authorization"] = "Bearer banyan-demo-token" };
            var requests = options.Quick ? 20 : 200;
            var baseUri = new Uri(binfo.Url);
            var first = await LoadGenerator.SequentialAsync(baseUri, "events?limit=100&skip=0", auth, requests).ConfigureAwait(false);
            var last = await LoadGenerator.SequentialAsync(baseUri, $"events?limit=100&skip={binfo.Items - 100}", auth, requests).ConfigureAwait(false);
            AddSeek(result, "Banyan (offset: skip)", first, last);
        }
        finally
        {
            await bserver.DisposeAsync().ConfigureAwait(false);
        }

        return result;
    }

    private static void AddRow(BenchResult result, string server, string mix, LoadResult r, double? oursRps) => result.AddRow(
        ("server", server),
        ("queries", mix),
        ("requests/s", r.RequestsPerSecond),
        ("mock ÷ this", oursRps is { } o ? o / r.RequestsPerSecond : 1.0),
        ("MB/s", r.MegabytesPerSecond),
        ("p50 ms", r.P50Ms),
        ("p90 ms", r.P90Ms),
        ("p99 ms", r.P99Ms),
        ("p99.9 ms", r.P999Ms),
        ("max ms", r.MaxMs),
        ("errors", r.Errors));

    private static void AddSeek(BenchResult result, string api, (double MedianMs, double P90Ms, int Bytes) first, (double MedianMs, double P90Ms, int Bytes) last)
    {
        result.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"seek, {api}: first page median {first.MedianMs:0.00} ms (p90 {first.P90Ms:0.00}), last page median {last.MedianMs:0.00} ms (p90 {last.P90Ms:0.00}); last ÷ first = {last.MedianMs / first.MedianMs:0.00}× (bodies {first.Bytes:N0} / {last.Bytes:N0} bytes)"));
        result.Values["seek." + api + ".ratio"] = last.MedianMs / first.MedianMs;
        result.Values["seek." + api + ".firstMs"] = first.MedianMs;
        result.Values["seek." + api + ".lastMs"] = last.MedianMs;
    }

    private static async Task<long> IdAsync(HttpClient http, string path, bool fromEnd = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("apikey", EndToEndBench.ApiKey);
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        return doc.RootElement[fromEnd ? doc.RootElement.GetArrayLength() - 1 : 0].GetProperty("id").GetInt64();
    }

    private static async Task<int[]> CodesAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "events?take=1000&startdate=2000-01-01");
        request.Headers.Add("apikey", EndToEndBench.ApiKey);
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("eventCode").GetInt32()).ToArray();
    }

    /// <summary>The body of median size among 21 answers of a query mix (what the static stub serves).</summary>
    private static async Task<byte[]> RepresentativeBodyAsync(HttpClient http, Func<Random, string> path)
    {
        var random = new Random(7);
        var bodies = new List<byte[]>();
        for (var i = 0; i < 21; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path(random));
            request.Headers.Add("apikey", EndToEndBench.ApiKey);
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            bodies.Add(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        }

        return bodies.OrderBy(b => b.Length).ElementAt(bodies.Count / 2);
    }
}
