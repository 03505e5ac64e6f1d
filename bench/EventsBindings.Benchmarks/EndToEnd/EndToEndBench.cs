using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EventsBindings.AdminByRequest;
using EventsBindings.Bench.Parsing;
using EventsBindings.Runtime;

namespace EventsBindings.Bench.EndToEnd;

/// <summary>What one client run measured.</summary>
public sealed record ClientResult(string Variant, long Events, long Pages, double Seconds, double EventsPerSecond, double PeakWorkingSetMb, double WorkingSetAtQuarterMb, double WorkingSetAtEndMb, long Checksum);

/// <summary>
/// End to end: N events of the Admin By Request list endpoint from the mock server over loopback,
/// through the generated client (cursor paging, 10,000 per page) and through hand-written
/// HttpClient + JsonSerializer loops over the same pages. The server and every client run in their
/// own processes, so a client's peak working set is its own.
/// </summary>
public static class EndToEndBench
{
    public const string ResultPrefix = "RESULT ";
    public const string ApiKey = "abr-demo-key";

    /// <summary>The variants: the generated client, then what users would write by hand.</summary>
    public static readonly string[] Variants = { "generated", "handwritten-stj-reflection", "handwritten-stj-sourcegen" };

    private static readonly JsonSerializerOptions Reflection = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task<BenchResult> RunAsync(Options options)
    {
        var events = options.Events ?? (options.Quick ? 20_000 : 1_000_000);
        var pageSize = options.PageSize ?? (options.Quick ? 1_000 : 10_000);
        var repeats = options.Quick ? 1 : 3;
        var result = new BenchResult($"End to end: {events:N0} events over loopback");

        var (info, server) = await MockLauncher.LaunchAsync(options, "adminbyrequest", events).ConfigureAwait(false);
        try
        {
            result.Notes.Add($"mock server: {info.Items:N0} items built and listening in {info.StartupMs / 1000:0.0} s, working set {info.WorkingSetMb:0} MB (managed heap {info.ManagedMb:0} MB)");
            result.Values["server.startupMs"] = info.StartupMs;
            result.Values["server.workingSetMb"] = info.WorkingSetMb;

            // Warm the server (JIT, page cache) with a short pass that is not counted.
            await RunClientAsync(options, "generated", info.Url, Math.Min(events, pageSize * 5L), pageSize).ConfigureAwait(false);

            var runs = new Dictionary<string, List<ClientResult>>();
            for (var r = 0; r < repeats; r++)
            {
                foreach (var variant in Variants)
                {
                    var run = await RunClientAsync(options, variant, info.Url, events, pageSize).ConfigureAwait(false);
                    (runs.TryGetValue(variant, out var list) ? list : runs[variant] = new()).Add(run);
                }
            }

            var baseline = runs["generated"].Max(x => x.EventsPerSecond);
            foreach (var variant in Variants)
            {
                var best = runs[variant].OrderByDescending(x => x.EventsPerSecond).First();
                result.AddRow(
                    ("client", variant),
                    ("events", best.Events),
                    ("seconds (best of " + repeats.ToString(CultureInfo.InvariantCulture) + ")", best.Seconds),
                    ("events/s", best.EventsPerSecond),
                    ("generated speed-up", baseline / best.EventsPerSecond),
                    ("peak working set MB", runs[variant].Max(x => x.PeakWorkingSetMb)),
                    ("WS at 25% MB", best.WorkingSetAtQuarterMb),
                    ("WS at end MB", best.WorkingSetAtEndMb));
                result.Values[variant + ".eventsPerSecond"] = best.EventsPerSecond;
                result.Values[variant + ".peakWorkingSetMb"] = runs[variant].Max(x => x.PeakWorkingSetMb);
                result.Values[variant + ".events"] = best.Events;
            }

            result.Notes.Add($"page size {pageSize:N0}; every client in its own process{(options.InProcess ? " (in-process mode: memory figures are the whole process)" : string.Empty)}; checksums of ids agree: {runs.Values.SelectMany(v => v).Select(v => v.Checksum).Distinct().Count() == 1}");
            return result;
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<ClientResult> RunClientAsync(Options options, string variant, string url, long events, int pageSize)
    {
        if (options.InProcess)
        {
            return await MeasureAsync(variant, url, events, pageSize).ConfigureAwait(false);
        }

        await using var child = ChildProcess.Start("e2e-client", "--variant", variant, "--url", url, "--events", events.ToString(CultureInfo.InvariantCulture), "--page-size", pageSize.ToString(CultureInfo.InvariantCulture));
        var line = await child.WaitForLineAsync(ResultPrefix, TimeSpan.FromMinutes(30)).ConfigureAwait(false);
        return JsonSerializer.Deserialize<ClientResult>(line)!;
    }

    /// <summary>The <c>e2e-client</c> child: one measured run, printed as one JSON line.</summary>
    public static async Task<int> ClientMainAsync(Options options)
    {
        var result = await MeasureAsync(options.Variant ?? "generated", options.Url ?? throw new ArgumentException("--url"), options.Events ?? 1_000_000, options.PageSize ?? 10_000).ConfigureAwait(false);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>Reads <paramref name="events"/> events with one client variant.</summary>
    public static async Task<ClientResult> MeasureAsync(string variant, string url, long events, int pageSize)
    {
        var baseUri = new Uri(url.EndsWith('/') ? url : url + "/");
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var process = Process.GetCurrentProcess();
        long count = 0, pages = 0, checksum = 0;
        double quarterWs = 0;
        void Progress()
        {
            pages++;
            if (quarterWs == 0 && count >= events / 4)
            {
                process.Refresh();
                quarterWs = process.WorkingSet64 / (1024.0 * 1024.0);
            }
        }

        var stopwatch = Stopwatch.StartNew();
        switch (variant)
        {
            case "generated":
            {
                var client = new AdminByRequestClient(http, baseUri, new EventsKeyCredential(ApiKey), new AdminByRequestClientOptions());
                var query = new EventsQuery { Take = pageSize, StartDate = new DateOnly(2000, 1, 1) };
                await foreach (var page in client.GetEventsAsync(query).AsPages().ConfigureAwait(false))
                {
                    foreach (var e in page.Items)
                    {
                        if (count == events)
                        {
                            break;
                        }

                        checksum += e.Id;
                        count++;
                    }

                    Progress();
                    if (count == events)
                    {
                        break;
                    }
                }

                break;
            }

            case "handwritten-stj-reflection":
            case "handwritten-stj-sourcegen":
            {
                // What a user writes without this project: a loop over startid with HttpClient and JsonSerializer.
                var sourceGen = variant.EndsWith("sourcegen", StringComparison.Ordinal);
                long? startId = null;
                while (count < events)
                {
                    var uri = new Uri(baseUri, "events?take=" + pageSize.ToString(CultureInfo.InvariantCulture) + "&startdate=2000-01-01" + (startId is { } s ? "&startid=" + s.ToString(CultureInfo.InvariantCulture) : string.Empty));
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Add("apikey", ApiKey);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    var page = sourceGen
                        ? await JsonSerializer.DeserializeAsync(stream, AbrPocoContext.Default.ListAbrEventPoco).ConfigureAwait(false)
                        : await JsonSerializer.DeserializeAsync<List<AbrEventPoco>>(stream, Reflection).ConfigureAwait(false);
                    if (page is null || page.Count == 0)
                    {
                        break;
                    }

                    foreach (var e in page)
                    {
                        if (count == events)
                        {
                            break;
                        }

                        checksum += e.Id;
                        count++;
                    }

                    Progress();
                    if (page.Count < pageSize)
                    {
                        break;
                    }

                    startId = page[^1].Id + 1;
                }

                break;
            }

            default:
                throw new ArgumentException($"unknown variant {variant}", nameof(variant));
        }

        stopwatch.Stop();
        process.Refresh();
        var endWs = process.WorkingSet64 / (1024.0 * 1024.0);
        return new ClientResult(variant, count, pages, stopwatch.Elapsed.TotalSeconds, count / stopwatch.Elapsed.TotalSeconds, process.PeakWorkingSet64 / (1024.0 * 1024.0), quarterWs, endWs, checksum);
    }
}
