// One file of about 470 lines on purpose: one class per export strategy under the same faults and kills; they share the kill-and-resume harness at the bottom.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Clients;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Reliability.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Reliability.Tests;

/// <summary>The Admin By Request export (id cursor) under faults and kills.</summary>
[Trait("Category", "Reliability")]
public sealed class AdminByRequestExportUnderFaultsTests(ITestOutputHelper output)
{
    [Fact]
    public Task Export_survives_faults_and_kills_with_every_event_exactly_once_in_order() =>
        new ExportUnderFaults(output, "AdminByRequest", seedOffset: 1).RunAsync();
}

/// <summary>The Banyan export (time cursor; many events share one millisecond) under faults and kills.</summary>
[Trait("Category", "Reliability")]
public sealed class BanyanExportUnderFaultsTests(ITestOutputHelper output)
{
    [Fact]
    public Task Export_survives_faults_and_kills_with_every_event_exactly_once_in_order() =>
        new ExportUnderFaults(output, "Banyan", seedOffset: 2).RunAsync();

    /// <summary>The order oracle itself: the server lists a, b, c, d (by time); c and d came with later appends, each at the end.</summary>
    [Theory]
    [InlineData("a b c d", 0)]
    [InlineData("b a c d", 1)] // a and b were both there from the start: listing order is owed
    [InlineData("a b d c", 1)] // c (append 1) was there before d (append 2) and is listed before it
    [InlineData("a c b d", 1)] // c (append 1) overtook b, which was there first and is listed first
    [InlineData("a b d", 0)] // a missing event is the loss count's business, not the order's
    public void Events_appended_at_the_end_keep_the_listing_order(string delivered, int violations)
    {
        var appendOf = new Dictionary<string, int> { ["c"] = 1, ["d"] = 2 };
        Assert.Equal(violations, ExportUnderFaults.OrderAgainstListing(new[] { "a", "b", "c", "d" }, appendOf, delivered.Split(' ')).Violations);
    }

    /// <summary>x and y came with one append; x lists between a and b (behind the end), y after b.</summary>
    [Theory]
    [InlineData("a b y x", 0)] // x landed behind a walk that had passed it: caught later by the overlap
    [InlineData("x a b y", 0)]
    [InlineData("a x b y", 0)]
    [InlineData("a y b x", 1)] // y was appended at the end: it may not overtake b
    [InlineData("b a y x", 1)]
    public void Late_arrivals_may_land_anywhere_while_the_others_keep_the_listing_order(string delivered, int violations)
    {
        var appendOf = new Dictionary<string, int> { ["x"] = 1, ["y"] = 1 };
        Assert.Equal(violations, ExportUnderFaults.OrderAgainstListing(new[] { "a", "x", "b", "y" }, appendOf, delivered.Split(' ')).Violations);
    }
}

/// <summary>
/// Every other exportable contract of the generated registry (<see cref="EventsContracts"/>: next-link paging and
/// whatever a new contract brings) under the same faults and kills: the worker and the oracle come from the
/// registry, so a contract added as a YAML file is tested here with no C#.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class EveryContractExportUnderFaultsTests(ITestOutputHelper output)
{
    public static TheoryData<string> Apis => new(EventsContracts.Exportable.Select(a => a.Name).Where(name => !ExportUnderFaults.HasOwnOracle(name)));

    [Fact]
    public void The_registry_leaves_at_least_one_contract_to_this_test() => Assert.NotEmpty(Apis);

    [Theory]
    [MemberData(nameof(Apis))]
    public Task Export_survives_faults_and_kills_with_every_event_exactly_once_in_order(string api) =>
        new ExportUnderFaults(output, api, seedOffset: 3 + EventsContracts.Exportable.Select(a => a.Name).ToList().IndexOf(api)).RunAsync();
}

/// <summary>
/// The checkpointed export of one API, run by a separate process (the export worker) into an NDJSON file
/// with a file checkpoint against the in-process mock, while fault rules inject 10% faults (429 with
/// Retry-After, 500, reset, truncated body, 2 s delay) into the events endpoint, events are appended while
/// it runs, and the process is killed at random moments and restarted until it finishes. Then the sink
/// must hold every event of the server exactly once, in order.
/// </summary>
internal sealed class ExportUnderFaults(ITestOutputHelper output, string api, int seedOffset)
{
    private static readonly string[] FaultKinds = { "429", "500", "reset", "truncate", "delay=2000" };

    /// <summary>How long a kill waits for the page it was planned after (faults slow pages down; a kill never waits forever).</summary>
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(60);

    private readonly Random _random = new(unchecked(Profile.Seed + seedOffset));

    /// <summary>The append (1, 2, …) that created an event; events on the server before the export started are absent (0).</summary>
    private readonly Dictionary<string, int> _appendOf = new(StringComparer.Ordinal);
    private int _appends;

    /// <summary>The workers' output, with the test's own markers (runs, kills, appends), for the post-mortem.</summary>
    private readonly List<string> _log = new();
    private JsonArray _template = new();

    private bool IsBanyan => api == "Banyan";

    /// <summary>The registry's entry: the endpoint the faults go to, and the id of an NDJSON line.</summary>
    private readonly Runtime.Export.ExportableApi _entry = EventsContracts.Find(api) ?? throw new ArgumentException("No exportable contract " + api, nameof(api));

    /// <summary>The APIs with an oracle of their own below (an independent reader of the listing); the others' truth is a fault-free export.</summary>
    internal static bool HasOwnOracle(string api) => api is "AdminByRequest" or "Banyan";

    private bool Generic => !HasOwnOracle(api);

    public async Task RunAsync()
    {
        var total = Stopwatch.StartNew();
        var events = Profile.ExportEvents;
        var sameMsGroup = IsBanyan ? (Profile.IsLong ? 3_000 : 400) : 0;
        await using var host = await Mock.StartAsync(events - sameMsGroup, seed: Profile.Seed % 1000 + seedOffset);
        var credential = Mock.Credential(host, api);
        var info = host.Apis.Single(a => a.Name == api);
        var baseUrl = new Uri(host.BaseAddress, info.Prefix.TrimStart('/'));
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        // Many events in one millisecond, in the middle of the history (Banyan's cursor is a timestamp).
        if (IsBanyan)
        {
            _template = await ReadPageAsync(http, host, credential, "events?order=ASC&limit=20");
            var template = await ReadPageAsync(http, host, credential, $"events?order=ASC&limit=50&skip={(events - sameMsGroup) / 2}");
            var ms = template[0]!["created_at"]!.GetValue<long>();
            await AppendCopiesAsync(http, template, sameMsGroup, ms, whileExporting: false);
        }

        // 10% of the events endpoint's requests get a fault: one random request in every ten.
        var pageSize = Profile.ExportPageSize;
        var expectedRequests = (events / pageSize * 3) + 300;
        var planned = new Dictionary<string, int>();
        var kinds = FaultKinds.ToArray();
        for (var block = 0; block < expectedRequests / 10; block++)
        {
            // Every kind once in each five blocks, in a random order.
            if (block % FaultKinds.Length == 0)
            {
                _random.Shuffle(kinds);
            }

            var fault = kinds[block % FaultKinds.Length];
            planned[fault] = planned.GetValueOrDefault(fault) + 1;
            var rule = new JsonObject { ["api"] = api, ["endpoint"] = _entry.Endpoint, ["fault"] = fault, ["nth"] = (block * 10) + _random.Next(1, 11) };
            if (fault == "429")
            {
                rule["retryAfter"] = 1;
            }

            var created = await http.PostAsync("__admin/faults", new StringContent(rule.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var directory = Directory.CreateTempSubdirectory("eb-reliability-");
        var sink = Path.Combine(directory.FullName, "events.ndjson");
        var checkpoint = Path.Combine(directory.FullName, "export.checkpoint");
        int kills = 0, runs = 0, appendedDuringRuns = 0, exitedEarly = 0;

        // Twice the pages a run would export if the history were split evenly among the killed runs and the
        // last one, and never more than what is left, so that the kills land all along the export.
        var pagesPerRun = Math.Max(2, 2 * (events / pageSize) / (Profile.ExportKills + 1));
        var watchdog = Profile.IsLong ? TimeSpan.FromMinutes(40) : TimeSpan.FromMinutes(4);
        var finished = false;
        while (!finished)
        {
            Assert.True(total.Elapsed < watchdog, $"The export did not finish within {watchdog} ({kills} kills, {runs} runs). {Profile.Replay}\n" + string.Join("\n", _log.TakeLast(20)));
            Assert.True(runs < 200, $"Too many runs. {Profile.Replay}");
            runs++;
            _log.Add(FormattableString.Invariant($"== run {runs} at {DateTimeOffset.UtcNow:HH:mm:ss.fff}"));
            using var worker = ExportWorker.Start(api.ToLowerInvariant(), baseUrl, sink, checkpoint, pageSize, credential.Value);
            var killThisRun = kills < Profile.ExportKills;
            if (killThisRun)
            {
                // Kill after a random number of pages (spread so that the kills cover the whole history, not
                // only its end) and a random fraction of a page more: during a fetch, a retry wait, a delivery
                // or a checkpoint save. Sometimes events are appended first, while the worker runs.
                var pagesLeft = (events + appendedDuringRuns - LinesIn(sink)) / pageSize;
                var killAfterPages = _random.Next(1, Math.Clamp(pagesLeft, 1, pagesPerRun) + 1);
                var appendAfterPages = _random.Next(2) == 0 ? _random.Next(1, killAfterPages + 1) : 0;
                if (appendAfterPages > 0)
                {
                    await Task.WhenAny(ExportWorker.PageAsync(worker, appendAfterPages), Task.Delay(PageWait));
                    appendedDuringRuns += await AppendWhileRunningAsync(http, host, credential);
                }

                await Task.WhenAny(ExportWorker.PageAsync(worker, killAfterPages), Task.Delay(PageWait));
                await Task.Delay(_random.Next(0, 300));
                if (await worker.KillAsync())
                {
                    kills++;
                    _log.Add(FormattableString.Invariant($"== killed at {DateTimeOffset.UtcNow:HH:mm:ss.fff}"));
                    _log.AddRange(worker.Lines);
                    continue;
                }

                // It finished before the kill: give it more to do, and go on.
                exitedEarly++;
                _log.AddRange(worker.Lines);
                appendedDuringRuns += await AppendWhileRunningAsync(http, host, credential);
                continue;
            }

            // Enough kills: let it finish (it restarts failed runs itself; a crash here fails the test).
            var exited = await worker.WaitForExitAsync(watchdog - total.Elapsed);
            _log.AddRange(worker.Lines);
            Assert.True(exited, $"The worker hung. {Profile.Replay}\n" + string.Join("\n", worker.Lines.TakeLast(20)));
            Assert.True(worker.ExitCode == 0, $"The worker failed with {worker.ExitCode}. {Profile.Replay}\n" + string.Join("\n", worker.Lines.TakeLast(20)));
            finished = true;
        }

        // The faults the rules injected, then the truth, read without faults.
        var rules = JsonNode.Parse(await http.GetStringAsync("__admin/faults"))!["rules"]!.AsArray();
        var faultsInjected = rules.GroupBy(r => r!["fault"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Sum(r => r!["injected"]!.GetValue<int>()));
        var requestsSeen = rules.Count > 0 ? rules.Max(r => r!["seen"]!.GetValue<int>()) : 0;
        await http.DeleteAsync("__admin/faults");
        var truth = await ReadAllAsync(http, host, credential);
        var listedAt = new Dictionary<string, int>(truth.Count, StringComparer.Ordinal);
        for (var i = 0; i < truth.Count; i++)
        {
            listedAt[truth[i].Id] = i;
        }

        // Each line parsed once: its id and order, and the event as the server holds it, not only its id
        // (the worker writes the bytes it received).
        var delivered = new List<(string Id, long Order)>();
        var altered = 0;
        foreach (var line in File.ReadLines(sink, Encoding.UTF8))
        {
            var node = JsonNode.Parse(line)!;
            var item = Generic ? Listed(_entry.IdOf(line), listedAt) : Identify(node);
            delivered.Add(item);
            if (listedAt.TryGetValue(item.Id, out var at) && !JsonNode.DeepEquals(node, JsonNode.Parse(truth[at].Json)))
            {
                altered++;
            }
        }

        var deliveredIds = delivered.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var duplicates = delivered.Count - deliveredIds.Count;
        var missing = truth.Count(t => !deliveredIds.Contains(t.Id));
        var extra = deliveredIds.Count(id => !listedAt.ContainsKey(id));

        var (outOfOrder, lateArrivals) = IsBanyan
            ? OrderAgainstListing(truth.Select(t => t.Id).ToList(), _appendOf, delivered.Select(d => d.Id).ToList())
            : (delivered.Zip(delivered.Skip(1)).Count(p => p.Second.Order <= p.First.Order), 0);

        var maxSameMs = truth.GroupBy(t => t.Order).Max(g => g.Count());
        var journal = await http.GetStringAsync("__admin/requests");
        var secretSeen = _log.Count(l => l.Contains(credential.Value, StringComparison.Ordinal))
            + (journal.Contains(credential.Value, StringComparison.Ordinal) ? 1 : 0)
            + (File.ReadAllText(checkpoint).Contains(credential.Value, StringComparison.Ordinal) ? 1 : 0);
        var figures = new Dictionary<string, object?>
        {
            ["api"] = api,
            ["eventsOnServer"] = truth.Count,
            ["eventsInSink"] = delivered.Count,
            ["lost"] = missing,
            ["duplicated"] = duplicates,
            ["extra"] = extra,
            ["altered"] = altered,
            ["outOfOrder"] = outOfOrder,
            ["lateArrivals"] = lateArrivals,
            ["kills"] = kills,
            ["runs"] = runs,
            ["runsFinishedBeforeTheKill"] = exitedEarly,
            ["appendedWhileRunning"] = appendedDuringRuns,
            ["appends"] = _appends,
            ["pageSize"] = pageSize,
            ["killedAfterPagesAtMost"] = pagesPerRun,
            ["faultRulesPlanned"] = planned,
            ["faultsInjected"] = faultsInjected,
            ["faultsInjectedTotal"] = faultsInjected.Values.Sum(),
            ["eventsRequests"] = requestsSeen,
            ["failedRunsRestartedByWorker"] = _log.Count(l => l.StartsWith("error ", StringComparison.Ordinal)),
            ["maxEventsInOneMillisecond"] = maxSameMs,
            ["secretOccurrences"] = secretSeen,
            ["seconds"] = Math.Round(total.Elapsed.TotalSeconds, 1),
        };
        output.WriteLine(Figures.Record("export-" + api.ToLowerInvariant(), figures));
        var context = $"{Profile.Replay}; files in {directory.FullName}";
        File.WriteAllLines(Path.Combine(directory.FullName, "worker.log"), _log); // for the post-mortem (deleted with the directory on success)
        Assert.True(truth.Count >= events, $"The server holds {truth.Count} events, fewer than {events}. {context}");
        Assert.True(kills >= Profile.ExportKills, $"Only {kills} kills. {context}");
        Assert.Equal(0, missing);
        Assert.Equal(0, duplicates);
        Assert.Equal(0, extra);
        Assert.Equal(0, altered);
        if (outOfOrder > 0)
        {
            // For the post-mortem: each delivered event with its time, the append that created it and where the server lists it.
            File.WriteAllLines(Path.Combine(directory.FullName, "order.tsv"), delivered.Select((d, i) => FormattableString.Invariant($"{i}\t{d.Id}\t{d.Order}\t{_appendOf.GetValueOrDefault(d.Id)}\t{listedAt.GetValueOrDefault(d.Id, -1)}")));
        }

        Assert.True(outOfOrder == 0, $"{outOfOrder} events delivered out of order (order.tsv: position, id, time, append, listing position). {context}");
        Assert.Equal(truth.Count, delivered.Count);
        if (!IsBanyan)
        {
            Assert.Equal(truth.Select(t => t.Id), delivered.Select(d => d.Id));
        }
        else
        {
            Assert.True(maxSameMs >= 2, "No two events share a millisecond: the test lost its point.");
        }

        Assert.Equal(0, secretSeen);
        Assert.True(faultsInjected.Values.Sum() >= requestsSeen / 10 - 1 && faultsInjected.Count >= 3, $"Too few faults injected: {string.Join(", ", faultsInjected)} in {requestsSeen} requests. {context}");
        directory.Delete(recursive: true);
    }

    /// <summary>Events in the NDJSON sink so far (complete lines).</summary>
    private static int LinesIn(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var file = File.OpenRead(path);
        var buffer = new byte[64 * 1024];
        int count = 0, read;
        while ((read = file.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return count;
    }

    /// <summary>A line of a contract without its own oracle: the registry's id, and its position in the listing as the order.</summary>
    private static (string Id, long Order) Listed(string id, Dictionary<string, int> listedAt) => (id, listedAt.GetValueOrDefault(id, -1));

    private (string Id, long Order) Identify(JsonNode node)
    {
        if (IsBanyan)
        {
            return (node["id"]!.GetValue<string>(), node["created_at"]!.GetValue<long>());
        }

        var id = node["id"]!.GetValue<long>();
        return (id.ToString(CultureInfo.InvariantCulture), id);
    }

    private static async Task<JsonArray> ReadPageAsync(HttpClient http, MockServerHost host, MockCredentialInfo credential, string pathAndQuery)
    {
        var info = host.Apis.Single(a => a.Credentials.Contains(credential));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(info.BaseAddress, pathAndQuery));
        Mock.Authorize(request, credential);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var root = JsonNode.Parse(text)!;
        return root as JsonArray ?? (JsonArray)root["data"]!;
    }

    /// <summary>Every event of the server, in its order, with its JSON (UTF-8; 100,000 parsed trees would not fit the budget).</summary>
    private async Task<List<(string Id, long Order, byte[] Json)>> ReadAllAsync(HttpClient http, MockServerHost host, MockCredentialInfo credential)
    {
        var result = new List<(string, long, byte[])>();
        if (Generic)
        {
            // One run of the export in this process, without faults or kills, into a file of its own: the listing as
            // the generated client pages through it (the order is the position in it).
            var directory = Directory.CreateTempSubdirectory("eb-truth-");
            try
            {
                var info = host.Apis.Single(a => a.Name == api);
                var path = Path.Combine(directory.FullName, "truth.ndjson");
                var export = _entry.CreateNdjsonExport(new Runtime.Export.EventsClientArguments(new Uri(host.BaseAddress, info.Prefix.TrimStart('/')), new Runtime.EventsKeyCredential(credential.Value)), new Runtime.Export.InMemoryCheckpointStore(), path, (int?)_entry.MaxPageSize);
                await export.RunOnceAsync();
                foreach (var line in File.ReadLines(path, Encoding.UTF8))
                {
                    result.Add((_entry.IdOf(line), result.Count, Encoding.UTF8.GetBytes(line)));
                }

                return result;
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        }

        if (IsBanyan)
        {
            for (var skip = 0; ; skip += 1000)
            {
                var page = await ReadPageAsync(http, host, credential, $"events?order=ASC&limit=1000&skip={skip}");
                result.AddRange(page.Select(e => (e!["id"]!.GetValue<string>(), e["created_at"]!.GetValue<long>(), JsonSerializer.SerializeToUtf8Bytes(e))));
                if (page.Count < 1000)
                {
                    return result;
                }
            }
        }

        long start = 0;
        while (true)
        {
            var page = await ReadPageAsync(http, host, credential, $"events?startid={start}&take=10000&days=3650");
            foreach (var e in page)
            {
                var id = e!["id"]!.GetValue<long>();
                result.Add((id.ToString(CultureInfo.InvariantCulture), id, JsonSerializer.SerializeToUtf8Bytes(e)));
                start = id + 1;
            }

            if (page.Count < 10000)
            {
                return result;
            }
        }
    }

    private async Task AppendCopiesAsync(HttpClient http, JsonArray template, int count, long? createdAtMs, bool whileExporting)
    {
        var items = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var copy = (JsonObject)template[i % template.Count]!.DeepClone();
            copy.Remove("id");
            copy.Remove("created_at");
            if (createdAtMs is { } ms)
            {
                copy["created_at"] = ms;
            }

            items.Add(copy);
        }

        await RecordAppendAsync(await http.PostAsync("__admin/items/Banyan", new StringContent(new JsonObject { ["items"] = items }.ToJsonString(), Encoding.UTF8, "application/json")), whileExporting);
    }

    /// <summary>Remembers which append created the ids the admin API answered with (appends made before the export count as the start).</summary>
    private async Task RecordAppendAsync(HttpResponseMessage response, bool whileExporting)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        if (!whileExporting)
        {
            return;
        }

        _appends++;
        _log.Add(FormattableString.Invariant($"== append {_appends} at {DateTimeOffset.UtcNow:HH:mm:ss.fff}: {text.Length} bytes of answer"));
        foreach (var id in JsonNode.Parse(text)!["ids"]!.AsArray())
        {
            // Ids as the sink's lines are compared: strings, or numbers written invariantly.
            _appendOf[id!.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : id.ToJsonString()] = _appends;
        }
    }

    /// <summary>
    /// Delivered order against the server's listing (by time, ties as the server breaks them). An event
    /// appended behind the end of the listing (an earlier time than events already there, or a tie that
    /// sorts before them) can land behind a walk in progress; the cursor's overlap catches it on a later
    /// read, after newer events: it must arrive exactly once, but its place is free. Every other event was
    /// at the end of the listing when it arrived, so it must be delivered in listing order: counted here
    /// are those delivered after an event the server lists later.
    /// </summary>
    internal static (int Violations, int LateArrivals) OrderAgainstListing(IReadOnlyList<string> listedIds, IReadOnlyDictionary<string, int> appendOf, IReadOnlyList<string> deliveredIds)
    {
        var listed = new Dictionary<string, int>(listedIds.Count, StringComparer.Ordinal);
        for (var i = 0; i < listedIds.Count; i++)
        {
            listed[listedIds[i]] = i;
        }

        // The last listing position held before each append: an event of append k is at the end if it lists after it.
        var appends = appendOf.Values.DefaultIfEmpty(0).Max();
        var lastOf = Enumerable.Repeat(-1, appends + 1).ToArray();
        foreach (var (id, position) in listed)
        {
            var append = appendOf.GetValueOrDefault(id);
            lastOf[append] = Math.Max(lastOf[append], position);
        }

        var lastBefore = new int[appends + 1];
        for (int k = 1, last = lastOf[0]; k <= appends; k++)
        {
            lastBefore[k] = last;
            last = Math.Max(last, lastOf[k]);
        }

        int violations = 0, late = 0;
        var furthest = -1;
        foreach (var id in deliveredIds)
        {
            if (!listed.TryGetValue(id, out var position))
            {
                continue;
            }

            var append = appendOf.GetValueOrDefault(id);
            if (append > 0 && position < lastBefore[append])
            {
                late++;
                continue;
            }

            if (position < furthest)
            {
                violations++;
            }

            furthest = Math.Max(furthest, position);
        }

        return (violations, late);
    }

    /// <summary>Appends events while the export runs: synthetic ones, or (Banyan) copies that all share the frozen "now" millisecond.</summary>
    private async Task<int> AppendWhileRunningAsync(HttpClient http, MockServerHost host, MockCredentialInfo credential)
    {
        var count = _random.Next(20, Profile.IsLong ? 600 : 150);
        if (IsBanyan && _random.Next(2) == 0)
        {
            await AppendCopiesAsync(http, _template, count, createdAtMs: null, whileExporting: true);
            return count;
        }

        await RecordAppendAsync(await http.PostAsJsonAsync("__admin/items/" + api, new { count }), whileExporting: true);
        return count;
    }
}
