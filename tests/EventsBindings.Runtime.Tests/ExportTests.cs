// One file of about 550 lines on purpose: the checkpointed export's contract (two-phase commit, resume, rejected items, drift side files) tested through one fake source and sink defined at the bottom.
using System.Globalization;
using System.Text;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Tests.Support;
using Xunit;

namespace EventsBindings.Runtime.Tests;

public sealed class ExportTests
{
    [Fact]
    public async Task Id_cursor_export_delivers_everything_once_and_a_second_run_appends_nothing()
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        api.Add(TestApi.Items(1, 25));
        var store = new FileCheckpointStore(dir.File("export.checkpoint"));
        var file = dir.File("events.ndjson");

        var first = await new CheckpointedExport<Item>(api.IdCursor(10), store, Ndjson.Sink(file)).RunOnceAsync();
        var bytes = await File.ReadAllBytesAsync(file);
        var second = await new CheckpointedExport<Item>(api.IdCursor(10), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.Equal(25, first.Delivered);
        Assert.Equal(3, first.Pages);
        Assert.Equal(0, second.Delivered);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), Ndjson.Ids(file));
        var checkpoint = ExportCheckpoint.Parse((await store.LoadAsync(default))!);
        Assert.Equal(26, checkpoint.Cursor.Position);
        Assert.Null(checkpoint.Pending);
        Assert.False(File.Exists(store.Path + ".tmp"));

        api.Add(TestApi.Items(26, 30));
        var third = await new CheckpointedExport<Item>(api.IdCursor(10), store, Ndjson.Sink(file)).RunOnceAsync();
        Assert.Equal(5, third.Delivered);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), Ndjson.Ids(file));
    }

    /// <summary>
    /// Saves per page: #1 pending marker (before delivery), #2 commit (after the sink's ack). Crashing before
    /// each save covers "between fetch and delivery" (odd) and "between sink-ack and checkpoint write" (even).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task Id_cursor_export_is_exactly_once_across_a_crash_at_any_checkpoint_save(int crashOnSave)
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        api.Add(TestApi.Items(1, 25));
        var store = new FileCheckpointStore(dir.File("cp.json"));
        var file = dir.File("events.ndjson");

        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.IdCursor(10), new CrashingStore(store, crashOnSave), Ndjson.Sink(file)).RunOnceAsync());
        var resumed = await new CheckpointedExport<Item>(api.IdCursor(10), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), Ndjson.Ids(file));
        Assert.Equal(crashOnSave % 2 == 0, resumed.Recovered);
        if (crashOnSave % 2 == 0)
        {
            // The acknowledged page was fetched again and removed by id.
            Assert.Equal(crashOnSave == 6 ? 5 : 10, resumed.Duplicates);
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(2, 4)]
    [InlineData(2, 10)]
    [InlineData(3, 2)]
    public async Task Id_cursor_export_is_exactly_once_across_a_crash_during_delivery(int crashOnPage, int itemsBeforeCrash)
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        api.Add(TestApi.Items(1, 25));
        var store = new FileCheckpointStore(dir.File("cp.json"));
        var file = dir.File("events.ndjson");

        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.IdCursor(10), store, new CrashingSink(Ndjson.Sink(file), crashOnPage, itemsBeforeCrash)).RunOnceAsync());
        Assert.NotNull(ExportCheckpoint.Parse((await store.LoadAsync(default))!).Pending);
        var resumed = await new CheckpointedExport<Item>(api.IdCursor(10), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.True(resumed.Recovered);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), Ndjson.Ids(file));
        Assert.Null(ExportCheckpoint.Parse((await store.LoadAsync(default))!).Pending);
    }

    [Fact]
    public async Task Time_cursor_rereads_the_overlap_and_drops_ids_already_delivered()
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        const long T = 1_700_000_000_000;
        // Several events share a millisecond.
        api.Add(new[]
        {
            new Item(1, T, "a"), new Item(2, T, "b"), new Item(3, T + 1, "c"), new Item(4, T + 1, "d"),
            new Item(5, T + 1, "e"), new Item(6, T + 2, "f"), new Item(7, T + 900, "g"),
        });
        var store = new InMemoryCheckpointStore();
        var file = dir.File("events.ndjson");
        ExportResult Run() => new CheckpointedExport<Item>(api.TimeCursor(3, TimeSpan.FromSeconds(1)), store, Ndjson.Sink(file)).RunOnceAsync().GetAwaiter().GetResult();

        var first = Run();
        Assert.Equal(7, first.Delivered);

        var again = Run();
        Assert.Equal(0, again.Delivered);
        Assert.True(again.Duplicates > 0);

        // Late arrivals: one sharing the last millisecond, one inside the overlap window; and a newer one.
        api.Add(new[] { new Item(8, T + 900, "late, same ms"), new Item(9, T + 500, "late, in window"), new Item(10, T + 2000, "new") });
        var third = Run();

        Assert.Equal(3, third.Delivered);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 7, 9, 8, 10 }, Ndjson.Ids(file));
        var checkpoint = ExportCheckpoint.Parse(store.Value!);
        Assert.Equal("timeCursor", checkpoint.Strategy);
        Assert.Equal(T + 2000, checkpoint.Cursor.Position);
        Assert.All(checkpoint.Cursor.Recent, m => Assert.True(m.Position >= T + 1000));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public async Task Time_cursor_export_is_exactly_once_across_a_crash(int crashOnSave)
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        const long T = 1_700_000_000_000;
        api.Add(Enumerable.Range(1, 12).Select(i => new Item(i, T + (i / 3), "x")));
        var store = new InMemoryCheckpointStore();
        var file = dir.File("events.ndjson");

        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.TimeCursor(5, TimeSpan.FromSeconds(5)), new CrashingStore(store, crashOnSave), Ndjson.Sink(file)).RunOnceAsync());
        await new CheckpointedExport<Item>(api.TimeCursor(5, TimeSpan.FromSeconds(5)), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), Ndjson.Ids(file));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 3)]
    [InlineData(2, 0)]
    [InlineData(2, 4)]
    [InlineData(3, 1)]
    public async Task Time_cursor_export_is_exactly_once_across_a_crash_during_delivery(int crashOnPage, int itemsBeforeCrash)
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        const long T = 1_700_000_000_000;
        // Three events per millisecond, so that pages end inside a millisecond the next run reads again.
        api.Add(Enumerable.Range(1, 12).Select(i => new Item(i, T + (i / 3), "x")));
        var store = new FileCheckpointStore(dir.File("cp.json"));
        var file = dir.File("events.ndjson");

        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.TimeCursor(5, TimeSpan.FromSeconds(5)), store, new CrashingSink(Ndjson.Sink(file), crashOnPage, itemsBeforeCrash)).RunOnceAsync());
        Assert.NotNull(ExportCheckpoint.Parse((await store.LoadAsync(default))!).Pending);
        var resumed = await new CheckpointedExport<Item>(api.TimeCursor(5, TimeSpan.FromSeconds(5)), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.True(resumed.Recovered);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), Ndjson.Ids(file));
        var checkpoint = ExportCheckpoint.Parse((await store.LoadAsync(default))!);
        Assert.Null(checkpoint.Pending);
        Assert.Equal(T + 4, checkpoint.Cursor.Position);
    }

    /// <summary>
    /// Two crashes in a row: the first in the middle of a delivery (3 of page 2's items reach the file), the
    /// second in the recovery run, after its first page's delivery and before that page's commit. The recovery
    /// run's pending marker replaces the first one; the 3 items found in the file must stay known through it.
    /// </summary>
    [Fact]
    public async Task Id_cursor_export_is_exactly_once_when_the_recovery_run_crashes_too()
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        api.Add(TestApi.Items(1, 25));
        var store = new FileCheckpointStore(dir.File("cp.json"));
        var file = dir.File("events.ndjson");

        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.IdCursor(10), store, new CrashingSink(Ndjson.Sink(file), crashOnPage: 2, itemsBeforeCrash: 3)).RunOnceAsync());

        // Recovery run: page 2 again (11-13 dropped, 14-20 delivered), then a crash before its commit (save #2).
        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.IdCursor(10), new CrashingStore(store, crashOnSave: 2), Ndjson.Sink(file)).RunOnceAsync());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), Ndjson.Ids(file));
        Assert.Equal(new[] { 11L, 12L, 13L }, ExportCheckpoint.Parse((await store.LoadAsync(default))!).Delivered.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).Order());

        var resumed = await new CheckpointedExport<Item>(api.IdCursor(10), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), Ndjson.Ids(file));
        Assert.Empty(resumed.Checkpoint.Delivered);
    }

    /// <summary>
    /// The time cursor's version, where the window is wider: the recovery run re-reads the overlap from its
    /// start and commits pages that do not reach the recovered items before it crashes; the next run must
    /// still know them (it used to deliver them again: found by the reliability suite's long profile).
    /// </summary>
    [Fact]
    public async Task Time_cursor_export_is_exactly_once_when_the_recovery_run_crashes_before_rereading_the_recovered_page()
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        const long T = 1_700_000_000_000;
        api.Add(Enumerable.Range(1, 12).Select(i => new Item(i, T + i, "x")));
        var store = new FileCheckpointStore(dir.File("cp.json"));
        var file = dir.File("events.ndjson");

        // Run 1: page 1 (1-5) committed, page 2 (6-10) in the file, its commit (save #4) lost.
        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.TimeCursor(5, TimeSpan.FromSeconds(5)), new CrashingStore(store, crashOnSave: 4), Ndjson.Sink(file)).RunOnceAsync());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), Ndjson.Ids(file));

        // Run 2 recovers 6-10, re-reads the overlap from item 1: page 1 (1-5, all known) is committed (save #1),
        // and it crashes before committing page 2 (save #2), having met 6-10 only in a page it never committed.
        await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(api.TimeCursor(5, TimeSpan.FromSeconds(5)), new CrashingStore(store, crashOnSave: 2), Ndjson.Sink(file)).RunOnceAsync());
        Assert.Equal(Enumerable.Range(6, 5).Select(i => (long)i), ExportCheckpoint.Parse((await store.LoadAsync(default))!).Delivered.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).Order());

        await new CheckpointedExport<Item>(api.TimeCursor(5, TimeSpan.FromSeconds(5)), store, Ndjson.Sink(file)).RunOnceAsync();

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), Ndjson.Ids(file));
        Assert.Empty(ExportCheckpoint.Parse((await store.LoadAsync(default))!).Delivered);
    }

    [Fact]
    public void Checkpoint_round_trips_the_ids_it_carries_beyond_the_cursor()
    {
        var checkpoint = new ExportCheckpoint("timeCursor", new SyncCursor(42, Array.Empty<SyncMark>()), null, new[] { "a", "b\"c" });
        var parsed = ExportCheckpoint.Parse(checkpoint.ToJson());
        Assert.Equal(new[] { "a", "b\"c" }, parsed.Delivered);
        Assert.Empty(ExportCheckpoint.Parse(new ExportCheckpoint("timeCursor", SyncCursor.Start, null).ToJson()).Delivered);
        Assert.DoesNotContain("delivered", new ExportCheckpoint("timeCursor", SyncCursor.Start, null).ToJson(), StringComparison.Ordinal);
    }

    /// <summary>Items formatted as no serializer of ours would: spaces, escaped unicode, 3-digit fractions, fields the model drops, a line break inside.</summary>
    private static readonly string[] OddItems =
    {
        """{ "id" : 1 , "at":1700000000001,"name" : "caf\u00e9" , "score" : 1.500 }""",
        """{"id":2,"at":1700000000002,"name":"\u2603 snow\/man","when":"2022-01-23T15:49:20.100"}""",
        """{"name":"three","id":3,"at":1700000000003,"nested":{ "a" : [ 1 , 2.0 , null ] }}""",
        "{\"id\":4,\n  \"at\":1700000000004,\r\n  \"name\":\"pretty\"}",
        """{"id":5,"at":1700000000005,"name":"tab\there","n":-0.0e0}""",
    };

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task With_raw_json_the_ndjson_file_holds_each_item_as_the_server_sent_it(int crashOnSave)
    {
        using var dir = new TempDir();
        await using var server = await LoopbackServer.StartAsync(c =>
        {
            var start = HttpSources.Start(c);
            var page = OddItems.Where((_, i) => i + 1 >= start).Take(2);
            return c.WriteJsonAsync("[\n  " + string.Join(" ,\n  ", page) + "\n]");
        });
        var pipeline = TestApi.Pipeline(server);
        var store = new FileCheckpointStore(dir.File("cp"));
        var file = dir.File("out.ndjson");
        var options = new ExportOptions { RawJson = true };

        if (crashOnSave > 0)
        {
            // Crash after the sink acknowledged a page, before the checkpoint moved: recovery reads the raw lines back.
            await Assert.ThrowsAsync<SimulatedCrash>(() => new CheckpointedExport<Item>(HttpSources.IdCursor(pipeline, 2), new CrashingStore(store, crashOnSave), Ndjson.Sink(file), options).RunOnceAsync());
        }

        await new CheckpointedExport<Item>(HttpSources.IdCursor(pipeline, 2), store, Ndjson.Sink(file), options).RunOnceAsync();
        var again = await new CheckpointedExport<Item>(HttpSources.IdCursor(pipeline, 2), store, Ndjson.Sink(file), options).RunOnceAsync();

        Assert.Equal(0, again.Delivered);
        var expected = string.Concat(OddItems.Select(i => i.Replace('\n', ' ').Replace('\r', ' ') + "\n"));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), await File.ReadAllBytesAsync(file));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, Ndjson.Ids(file));
    }

    [Fact]
    public async Task With_raw_json_a_page_without_duplicates_is_handed_over_as_read_and_a_filtered_one_keeps_each_item_with_its_json()
    {
        using var dir = new TempDir();
        var file = dir.File("out.ndjson");
        var duplicate = OddItems[2].Replace(" ", "", StringComparison.Ordinal); // id 3 again, other bytes
        var bodies = new Dictionary<long, string>
        {
            [1] = "[" + OddItems[0] + "," + OddItems[1] + "]",
            [3] = "[" + OddItems[2] + ",\n" + duplicate + " , " + OddItems[3] + "]",
            [5] = "[]",
        };
        var fetched = new List<IReadOnlyList<Item>>();
        var source = SyncSources.IdCursor<Item>(
            (start, _, _) =>
            {
                var page = Json.JsonPayload.ReadList<Item>(Encoding.UTF8.GetBytes(bodies[start ?? 1]), null, Item.Read);
                fetched.Add(page);
                return Task.FromResult(page);
            },
            static i => i.Id,
            2);
        var sink = new RecordingSink(Ndjson.Sink(file));

        var result = await new CheckpointedExport<Item>(source, new InMemoryCheckpointStore(), sink, new ExportOptions { RawJson = true }).RunOnceAsync();

        Assert.Equal((4L, 1L), (result.Delivered, result.Duplicates));
        Assert.Equal(2, sink.Pages.Count);
        Assert.Same(fetched[0], sink.Pages[0]);
        var filtered = sink.Pages[1];
        Assert.NotSame(fetched[1], filtered);
        Assert.Equal(new long[] { 3, 4 }, filtered.Select(i => i.Id));
        var raw = Assert.IsAssignableFrom<Json.IRawJsonItems>(filtered);
        Assert.Equal(OddItems[2], Encoding.UTF8.GetString(raw.GetRawJson(0).Span));
        Assert.Equal(OddItems[3], Encoding.UTF8.GetString(raw.GetRawJson(1).Span));
        var expected = string.Concat(OddItems.Take(4).Select(i => i.Replace('\n', ' ').Replace('\r', ' ') + "\n"));
        Assert.Equal(expected, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task Without_raw_json_a_page_without_duplicates_is_handed_over_as_read()
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        api.Add(TestApi.Items(1, 3));
        var fetched = new List<IReadOnlyList<Item>>();
        var source = SyncSources.IdCursor<Item>(
            async (start, size, ct) =>
            {
                var page = await api.ByIdAsync(start, size, ct);
                fetched.Add(page);
                return page;
            },
            static i => i.Id,
            5);
        var sink = new RecordingSink(Ndjson.Sink(dir.File("out.ndjson")));

        await new CheckpointedExport<Item>(source, new InMemoryCheckpointStore(), sink).RunOnceAsync();

        Assert.Same(Assert.Single(fetched), Assert.Single(sink.Pages));
        Assert.Equal(new long[] { 1, 2, 3 }, Ndjson.Ids(dir.File("out.ndjson")));
    }

    [Fact]
    public async Task Without_raw_json_the_ndjson_file_holds_the_model_as_written_back()
    {
        using var dir = new TempDir();
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[" + OddItems[0] + "]"));
        var file = dir.File("out.ndjson");

        await new CheckpointedExport<Item>(HttpSources.IdCursor(TestApi.Pipeline(server), 2), new InMemoryCheckpointStore(), Ndjson.Sink(file)).RunOnceAsync();

        Assert.Equal("""{"id":1,"at":1700000000001,"name":"café"}""" + "\n", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_server_that_ignores_the_id_cursor_is_a_paging_error_not_an_endless_export()
    {
        using var dir = new TempDir();
        var api = new FakeEventsApi();
        api.Add(TestApi.Items(1, 10));
        var source = SyncSources.IdCursor<Item>((_, size, ct) => api.ByIdAsync(null, size, ct), static i => i.Id, 5);

        var ex = await Assert.ThrowsAsync<Paging.EventsPagingException>(() => new CheckpointedExport<Item>(source, new InMemoryCheckpointStore(), Ndjson.Sink(dir.File("x.ndjson"))).RunOnceAsync());

        Assert.Equal(6, ex.Cursor);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, Ndjson.Ids(dir.File("x.ndjson")));
    }

    [Fact]
    public async Task A_checkpoint_of_another_strategy_is_refused()
    {
        var api = new FakeEventsApi();
        api.Add(TestApi.Items(1, 3));
        var store = new InMemoryCheckpointStore();
        using var dir = new TempDir();
        await new CheckpointedExport<Item>(api.IdCursor(10), store, Ndjson.Sink(dir.File("a.ndjson"))).RunOnceAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new CheckpointedExport<Item>(api.TimeCursor(10, TimeSpan.Zero), store, Ndjson.Sink(dir.File("b.ndjson"))).RunOnceAsync());
        Assert.Contains("idCursor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_through_the_http_pipeline_survives_a_failing_page()
    {
        using var dir = new TempDir();
        var dataset = TestApi.Items(1, 23);
        var failed = 0;
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            var start = HttpSources.Start(c);
            if (start == 11 && Interlocked.Exchange(ref failed, 1) == 0)
            {
                await c.WriteJsonAsync("{}", 502);
                return;
            }

            await c.WriteJsonAsync(TestApi.Json(dataset.Where(i => i.Id >= start).Take(10)));
        });
        var source = HttpSources.IdCursor(TestApi.Pipeline(server), 10);
        var progress = new List<ExportProgress>();
        var export = new CheckpointedExport<Item>(source, new FileCheckpointStore(dir.File("cp")), Ndjson.Sink(dir.File("out.ndjson")), new ExportOptions { Progress = new SyncProgress<ExportProgress>(progress.Add) });

        var result = await export.RunOnceAsync();

        Assert.Equal(23, result.Delivered);
        Assert.Equal(Enumerable.Range(1, 23).Select(i => (long)i), Ndjson.Ids(dir.File("out.ndjson")));
        Assert.Equal(new long[] { 10, 20, 23 }, progress.Select(p => p.Delivered));
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task Follow_mode_backs_off_while_nothing_is_new_and_rides_out_transient_failures()
    {
        var api = new FakeEventsApi();
        api.Add(TestApi.Items(1, 3));
        var clock = new InstantDelays();
        using var cts = new CancellationTokenSource();
        var polls = 0;
        var source = SyncSources.IdCursor<Item>(
            async (start, size, ct) =>
            {
                var poll = ++polls;
                if (poll == 3)
                {
                    throw new EventsServerException("GET /items answered 500.", 500, null, null, "GET", "/items");
                }

                if (poll == 7)
                {
                    cts.Cancel();
                }

                return await api.ByIdAsync(start, size, ct);
            },
            static i => i.Id,
            10);
        using var dir = new TempDir();
        var export = new CheckpointedExport<Item>(source, new InMemoryCheckpointStore(), Ndjson.Sink(dir.File("f.ndjson")), new ExportOptions
        {
            TimeProvider = clock,
            FollowMinDelay = TimeSpan.FromSeconds(1),
            FollowMaxDelay = TimeSpan.FromSeconds(8),
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => export.FollowAsync(cts.Token));

        // Poll 1 delivers (1 s), 2 finds nothing (2 s), 3 fails (4 s), 4..6 find nothing (8 s, capped).
        Assert.Equal(new[] { 1, 2, 4, 8, 8, 8 }.Select(s => TimeSpan.FromSeconds(s)), clock.Delays);
        Assert.Equal(new long[] { 1, 2, 3 }, Ndjson.Ids(dir.File("f.ndjson")));
    }

    [Fact]
    public async Task File_checkpoint_store_replaces_atomically_and_ignores_a_stale_temp_file()
    {
        using var dir = new TempDir();
        var store = new FileCheckpointStore(dir.File("sub/cp.json"));
        Assert.Null(await store.LoadAsync(default));

        await store.SaveAsync("one", default);
        var stale = store.Path + ".0123.tmp";
        await File.WriteAllTextAsync(stale, "half-written garbage from a crash");
        await store.SaveAsync("two", default);

        Assert.Equal("two", await store.LoadAsync(default));
        // Only the checkpoint and the stale file (never read) are there: no temporary file of a save is left.
        Assert.Equal(new[] { store.Path, stale }.Order(), Directory.GetFiles(Path.GetDirectoryName(store.Path)!).Order());
    }

    [Fact]
    public async Task File_checkpoint_store_load_removes_old_left_over_temporaries_only()
    {
        using var dir = new TempDir();
        var store = new FileCheckpointStore(dir.File("cp.json"));
        await store.SaveAsync("one", default);
        var old = store.Path + ".old.tmp";
        var young = store.Path + ".young.tmp";
        var unrelated = dir.File("other.json.old.tmp");
        foreach (var file in new[] { old, young, unrelated })
        {
            await File.WriteAllTextAsync(file, "left by a crashed save");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        }

        File.SetLastWriteTimeUtc(young, DateTime.UtcNow); // may belong to a save in flight

        Assert.Equal("one", await store.LoadAsync(default));
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(young));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public async Task File_checkpoint_store_writers_never_share_a_temporary_file()
    {
        using var dir = new TempDir();
        var path = dir.File("cp.json");
        var values = Enumerable.Range(0, 40).Select(i => new string((char)('a' + (i % 26)), 1000 + i)).ToArray();

        // Two stores on the same file (two processes, in effect), saving at the same time.
        await Task.WhenAll(values.Select((v, i) => Task.Run(() => new FileCheckpointStore(path).SaveAsync(v, default))));

        Assert.Contains(await new FileCheckpointStore(path).LoadAsync(default), values);
        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Ndjson_sink_drops_a_torn_last_line_and_reports_the_ids_it_holds()
    {
        using var dir = new TempDir();
        var file = dir.File("x.ndjson");
        var sink = Ndjson.Sink(file);
        await sink.WriteAsync(TestApi.Items(1, 4), default);
        await File.AppendAllTextAsync(file, "{\"id\":5,\"na");

        var held = await sink.GetDeliveredIdsAsync(new[] { "3", "4", "5", "6" }, static i => i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), default);
        await sink.WriteAsync(TestApi.Items(5, 6), default);

        Assert.Equal(new[] { "3", "4" }, held.OrderBy(x => x));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, Ndjson.Ids(file));
    }

    [Fact]
    public void Checkpoints_round_trip_as_json()
    {
        var checkpoint = new ExportCheckpoint("timeCursor", new SyncCursor(42, new[] { new SyncMark("a\"b", 41) }), new[] { "x", "y" });

        var parsed = ExportCheckpoint.Parse(checkpoint.ToJson());

        Assert.Equal("timeCursor", parsed.Strategy);
        Assert.Equal(42, parsed.Cursor.Position);
        Assert.Equal(new SyncMark("a\"b", 41), Assert.Single(parsed.Cursor.Recent));
        Assert.Equal(new[] { "x", "y" }, parsed.Pending);
        Assert.Throws<FormatException>(() => ExportCheckpoint.Parse("{\"format\":1"));
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
