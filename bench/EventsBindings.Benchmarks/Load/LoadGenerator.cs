using System.Diagnostics;
using System.Net;

namespace EventsBindings.Bench.Load;

/// <summary>What a load run measured.</summary>
public sealed record LoadResult(long Requests, long Errors, double Seconds, double RequestsPerSecond, double MegabytesPerSecond, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static LoadResult From(long[] latencyTicks, long errors, long bytes, double seconds)
    {
        Array.Sort(latencyTicks);
        double P(double q) => latencyTicks.Length == 0 ? 0 : latencyTicks[Math.Min(latencyTicks.Length - 1, (int)Math.Ceiling(q * latencyTicks.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(latencyTicks.Length, errors, seconds, latencyTicks.Length / seconds, bytes / seconds / (1024 * 1024), P(0.50), P(0.90), P(0.99), P(0.999), latencyTicks.Length == 0 ? 0 : latencyTicks[^1] * 1000.0 / Stopwatch.Frequency);
    }
}

/// <summary>
/// A closed-loop HTTP load generator: W workers, each sending its next request as soon as the
/// previous answer is read to the end, for a fixed duration after a warm-up. Every latency is kept
/// (exact percentiles from the sorted samples). The same generator, with the same URLs, drives every server.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(Uri baseUri, Func<Random, string> nextPath, IReadOnlyDictionary<string, string> headers, int workers, TimeSpan duration, TimeSpan warmup)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = workers,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };

        var phaseEnd = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(http, nextPath, headers, w + 1000, phaseEnd, null)))).ConfigureAwait(false);

        var samples = Enumerable.Range(0, workers).Select(_ => new List<long>(64 * 1024)).ToArray();
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(http, nextPath, headers, w, end, samples[w])))).ConfigureAwait(false);
        var seconds = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
        var all = samples.SelectMany(s => s).ToArray();
        return LoadResult.From(all, results.Sum(r => r.Errors), results.Sum(r => r.Bytes), seconds);
    }

    private static async Task<(long Errors, long Bytes)> WorkerAsync(HttpClient http, Func<Random, string> nextPath, IReadOnlyDictionary<string, string> headers, int seed, long end, List<long>? samples)
    {
        var random = new Random(seed);
        var buffer = new byte[64 * 1024];
        long errors = 0, bytes = 0;
        while (Stopwatch.GetTimestamp() < end)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, nextPath(random));
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            var t0 = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                int n;
                while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    bytes += n;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    errors++;
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                errors++;
                continue;
            }

            samples?.Add(Stopwatch.GetTimestamp() - t0);
        }

        return (errors, bytes);
    }

    /// <summary>Sequential latency of one path (one worker, no concurrency): the median and p90 in ms.</summary>
    public static async Task<(double MedianMs, double P90Ms, int Bytes)> SequentialAsync(Uri baseUri, string path, IReadOnlyDictionary<string, string> headers, int requests)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        var times = new List<double>();
        var size = 0;
        for (var i = 0; i < requests + 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            var t0 = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            var ms = (Stopwatch.GetTimestamp() - t0) * 1000.0 / Stopwatch.Frequency;
            response.EnsureSuccessStatusCode();
            size = body.Length;
            if (i >= 5)
            {
                times.Add(ms);
            }
        }

        times.Sort();
        return (times[times.Count / 2], times[(int)(times.Count * 0.9)], size);
    }
}
