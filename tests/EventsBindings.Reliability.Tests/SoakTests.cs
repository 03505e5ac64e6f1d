using System.Collections.Concurrent;
using System.Diagnostics;
using EventsBindings.Reliability.Tests.Support;
using EventsBindings.Runtime;
using Xunit;
using Xunit.Abstractions;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Reliability.Tests;

/// <summary>
/// 50 concurrent generated clients (half of each API) page, filter and count against the in-process mock for
/// a bounded time: zero errors, and the managed heap (after full collections, with the clients of a warm-up
/// round and then those of the soak round stopped) grows less than a stated bound over the soak.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(Isolated.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    /// <summary>Growth of the managed heap (after full collections) allowed over the soak.</summary>
    private const long HeapGrowthBoundBytes = 64L * 1024 * 1024;

    /// <summary>Requests the mock's journal keeps in this test: fewer than the warm-up makes, so it is full before the soak.</summary>
    private const int JournalCapacity = 1_000;

    [Fact]
    public async Task Fifty_clients_soak_without_errors_and_with_bounded_memory()
    {
        // A journal that is full after the warm-up in both profiles: it is bounded by design, and its filling
        // up would otherwise read as growth. Its share is measured at the end.
        await using var host = await Mock.StartAsync(events: 5_000, seed: 3, journalCapacity: JournalCapacity);
        var abrUrl = new Uri(host.BaseAddress, host.Apis.Single(a => a.Name == "AdminByRequest").Prefix.TrimStart('/'));
        var banyanUrl = new Uri(host.BaseAddress, host.Apis.Single(a => a.Name == "Banyan").Prefix.TrimStart('/'));
        var abrKey = Mock.Credential(host, "AdminByRequest").Value;
        var banyanRefresh = host.Apis.Single(a => a.Name == "Banyan").Credentials.First(c => c.Kind == "RefreshToken" && c.CanRead).Value;
        var banyanBearer = Mock.Credential(host, "Banyan").Value;
        var errors = new ConcurrentQueue<string>();
        long requests = 0, items = 0;
        var warmUp = TimeSpan.FromSeconds(Profile.IsLong ? 10 : 5);
        var duration = Profile.SoakDuration;

        async Task Client(int index, CancellationToken stop)
        {
            var random = new Random(Profile.Seed + index);
            var options = new EventsRetryOptions { MaxRetries = 0 };
            var abr = new Abr.AdminByRequestClient(abrUrl, new EventsKeyCredential(abrKey), new Abr.AdminByRequestClientOptions { Retry = options });
            var banyan = new Banyan.BanyanClient(banyanUrl, index % 4 == 1 ? new RefreshTokenCredential(banyanRefresh) : new EventsKeyCredential(banyanBearer), new Banyan.BanyanClientOptions { Retry = options });
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (index % 2 == 0)
                    {
                        switch (random.Next(3))
                        {
                            case 0:
                                var page = await abr.GetEventsAsync(new Abr.EventsQuery { Take = random.Next(1, 500), Days = 3650 }, cancellationToken: stop).AsPages().FirstAsync();
                                Interlocked.Add(ref items, page.Items.Count);
                                break;
                            case 1:
                                var n = 0;
                                await foreach (var e in abr.GetEventsAsync(new Abr.EventsQuery { Take = 100, Days = random.Next(1, 60) }, stop))
                                {
                                    if (++n >= 300)
                                    {
                                        break;
                                    }
                                }

                                Interlocked.Add(ref items, n);
                                break;
                            default:
                                var last = await abr.GetEventsAsync(new Abr.EventsQuery { Take = 50, StartId = 53821200 + random.Next(0, 100_000), Days = 3650 }, cancellationToken: stop).AsPages().FirstAsync();
                                Interlocked.Add(ref items, last.Items.Count);
                                break;
                        }
                    }
                    else
                    {
                        switch (random.Next(3))
                        {
                            case 0:
                                var page = await banyan.GetEventsAsync(new Banyan.EventsQuery { Limit = random.Next(1, 1000), Skip = random.Next(0, 4000), Order = Banyan.SortOrder.Parse(random.Next(2) == 0 ? "ASC" : "DESC") }, cancellationToken: stop).AsPages().FirstAsync();
                                Interlocked.Add(ref items, page.Items.Count);
                                break;
                            case 1:
                                var count = await banyan.GetEventCountAsync(cancellationToken: stop);
                                Interlocked.Add(ref items, count > 0 ? 1 : 0);
                                break;
                            default:
                                var feed = await banyan.GetEventsAsync(new Banyan.EventsQuery { Limit = 100, After = Mock.Now.AddDays(-random.Next(1, 30)) }, cancellationToken: stop).AsPages().FirstAsync();
                                Interlocked.Add(ref items, feed.Items.Count);
                                break;
                        }
                    }

                    Interlocked.Increment(ref requests);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    errors.Enqueue($"client {index}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        // A round: fresh clients for a while, then stopped and awaited. The warm-up round fills what is meant
        // to stay (pools, caches, the journal, JIT); the soak round, with new clients, may add nothing that
        // stays. Both are measured quiet, after full collections, so what is in flight does not count.
        var stuck = false;
        async Task<List<long>> RoundAsync(TimeSpan length, int round)
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Profile.SoakClients).Select(i => Task.Run(() => Client((round * 1000) + i, stop.Token))).ToList();
            var samples = new List<long>();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < length)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, length.TotalSeconds / 5)));
                samples.Add(GC.GetTotalMemory(false));
            }

            stop.Cancel();
            var all = Task.WhenAll(clients);
            stuck |= await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60))) != all;
            return samples;
        }

        var heapBeforeClients = FullCollect();
        await RoundAsync(warmUp, round: 0);
        var heapAfterWarmUp = FullCollect();
        var workingSetAfterWarmUp = Process.GetCurrentProcess().WorkingSet64;
        var requestsAfterWarmUp = Interlocked.Read(ref requests);
        var samples = await RoundAsync(duration, round: 1);
        var heapAtEnd = FullCollect();
        var workingSetAtEnd = Process.GetCurrentProcess().WorkingSet64;
        var journalEntries = host.Requests().Count;
        host.ClearRequests();
        var heapWithoutJournal = FullCollect();
        var soakRequests = Interlocked.Read(ref requests) - requestsAfterWarmUp;
        var figures = new Dictionary<string, object?>
        {
            ["clients"] = Profile.SoakClients,
            ["seconds"] = duration.TotalSeconds,
            ["requests"] = Interlocked.Read(ref requests),
            ["requestsDuringSoak"] = soakRequests,
            ["requestsPerSecond"] = Math.Round(soakRequests / duration.TotalSeconds),
            ["items"] = Interlocked.Read(ref items),
            ["errors"] = errors.Count,
            ["heapBeforeClientsMB"] = Mb(heapBeforeClients),
            ["heapAfterWarmUpMB"] = Mb(heapAfterWarmUp),
            ["heapAtEndMB"] = Mb(heapAtEnd),
            ["heapGrowthMB"] = Mb(heapAtEnd - heapAfterWarmUp),
            ["journalEntries"] = journalEntries,
            ["journalMB"] = Mb(heapAtEnd - heapWithoutJournal),
            ["heapGrowthBoundMB"] = Mb(HeapGrowthBoundBytes),
            ["peakHeapSampleMB"] = samples.Count > 0 ? Mb(samples.Max()) : 0,
            ["workingSetGrowthMB"] = Mb(workingSetAtEnd - workingSetAfterWarmUp),
        };
        output.WriteLine(Figures.Record("soak", figures));
        Assert.False(stuck, "Clients did not stop within 60 s of the end of a round.");
        Assert.True(errors.IsEmpty, string.Join("\n", errors.Take(10)));
        Assert.True(soakRequests > 100, $"Only {soakRequests} requests during the soak.");
        Assert.True(heapAtEnd - heapAfterWarmUp < HeapGrowthBoundBytes, $"The managed heap grew by {Mb(heapAtEnd - heapAfterWarmUp)} MB over the soak (bound {Mb(HeapGrowthBoundBytes)} MB).");
        Assert.True(journalEntries <= JournalCapacity, $"The journal holds {journalEntries} entries, beyond its capacity of {JournalCapacity}.");
    }

    private static long FullCollect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Mb(long bytes) => Math.Round(bytes / 1024.0 / 1024.0, 1);
}
