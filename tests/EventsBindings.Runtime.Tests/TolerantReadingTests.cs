using System.Text;
using System.Text.Json;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Json;
using EventsBindings.Runtime.Paging;
using EventsBindings.Runtime.Tests.Support;
using Xunit;

namespace EventsBindings.Runtime.Tests;

/// <summary>
/// Tolerant reading, the default: values that do not fit become drift records with their paths, unreadable
/// items are set aside with their bytes, and paging and exports go on (counting what the server sent).
/// </summary>
public sealed class TolerantReadingTests
{
    private const string Page = """{"data":[{"id":1,"at":1,"name":"a"},{"id":"2","at":"x","name":null},{"at":3,"name":"c"}]}""";

    [Fact]
    public void Values_that_do_not_fit_are_defaulted_or_converted_and_reported_with_their_paths()
    {
        var items = JsonPayload.ReadList<Item>(Encoding.UTF8.GetBytes(Page), "data", Item.Read);

        Assert.Equal(3, items.Count);
        Assert.Equal(2, items[1].Id); // "2": a quoted integer, converted
        Assert.Equal(0, items[1].At); // "x": not a number, defaulted
        Assert.Equal(string.Empty, items[1].Name); // null for a string that may not be null
        var drift = JsonReadReport.DriftOf(items);
        Assert.Equal(
            new[]
            {
                ("$.data[1].id", JsonDriftKind.Converted, "a number in a string"),
                ("$.data[1].at", JsonDriftKind.Defaulted, "a string"),
                ("$.data[1].name", JsonDriftKind.Defaulted, "null"),
                ("$.data[2].id", JsonDriftKind.Missing, "nothing"),
            },
            drift.Select(d => (d.Path, d.Kind, d.Got)));
        Assert.Equal("Item.at", drift[1].Field);
        Assert.Equal("x", drift[1].Sample);
        Assert.Equal("$.data[*].id", drift[0].PathPattern);
    }

    [Fact]
    public void Strict_reading_fails_on_the_first_value_that_does_not_fit()
    {
        using var strict = JsonReadScope.Begin(JsonStrictness.Strict);

        var ex = Assert.Throws<JsonPayloadException>(() => JsonPayload.ReadList<Item>(Encoding.UTF8.GetBytes(Page), "data", Item.Read));

        Assert.Equal("$.data[1].id", ex.Path);
        Assert.Equal("Item.id", ex.Field);
    }

    [Fact]
    public void A_list_that_fits_is_a_plain_list_with_no_report()
    {
        var items = JsonPayload.ReadList<Item>("""[{"id":1,"at":1,"name":"a"}]"""u8, null, Item.Read);

        Assert.IsType<List<Item>>(items);
        Assert.Empty(JsonReadReport.DriftOf(items));
    }

    [Fact]
    public void An_item_that_cannot_be_read_is_set_aside_with_its_bytes_and_position()
    {
        const string body = """[{"id":1,"at":1,"name":"a"}, "oops", [1,2], {"id":4,"at":4,"name":"d"}]""";

        var items = JsonPayload.ReadList<Item>(Encoding.UTF8.GetBytes(body), null, Item.Read);

        Assert.Equal(new long[] { 1, 4 }, items.Select(i => i.Id));
        var rejected = JsonReadReport.RejectedOf(items);
        Assert.Equal(new[] { (1, "$[1]", "\"oops\""), (2, "$[2]", "[1,2]") }, rejected.Select(r => (r.Index, r.Path, Encoding.UTF8.GetString(r.Json.Span))));
        Assert.Equal(body.IndexOf("\"oops\"", StringComparison.Ordinal), rejected[0].Offset);
        Assert.Equal(4, JsonReadReport.SentCount(items));
    }

    [Fact]
    public void Nested_drift_is_located_inside_arrays_and_objects()
    {
        var items = JsonPayload.ReadList<IReadOnlyList<string>>(
            """[["a"],["b",3,{"x":1}]]"""u8,
            null,
            static (ref Utf8JsonReader r) => JsonRead.Array<string>(ref r, "M.tags", static (ref Utf8JsonReader x) => JsonRead.String(ref x, "M.tags")));

        Assert.Equal(new[] { "b", string.Empty, string.Empty }, items[1]);
        Assert.Equal(new[] { "$[1][1]", "$[1][2]" }, JsonReadReport.DriftOf(items).Select(d => d.Path));
        Assert.Equal("{\"x\":1}", JsonReadReport.DriftOf(items)[1].Sample);
    }

    [Theory]
    [InlineData(1_602_206_351L, 1_602_206_351_000_000_000L, "epoch seconds")]
    [InlineData(1_602_206_351_114L, 1_602_206_351_114_000_000L, "epoch milliseconds")]
    [InlineData(1_602_206_351_114_123L, 1_602_206_351_114_123_000L, "epoch microseconds")]
    public void An_epoch_of_uncertain_unit_is_told_apart_by_magnitude_and_converted(long sent, long nanos, string unit)
    {
        using var scope = JsonReadScope.Begin(JsonStrictness.Strict);
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(sent.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        r.Read();

        var value = JsonRead.EpochNanosAnyUnit(ref r, "Device.synced");

        Assert.Equal(nanos, value.Value);
        var drift = Assert.Single(scope.Drift);
        Assert.Equal((JsonDriftKind.Converted, unit, "epoch nanoseconds"), (drift.Kind, drift.Got, drift.Expected));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1585714986708092970", 1585714986708092970L)]
    public void An_epoch_of_uncertain_unit_in_the_declared_unit_is_no_drift(string sent, long nanos)
    {
        using var scope = JsonReadScope.Begin(JsonStrictness.Strict);
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(sent));
        r.Read();

        Assert.Equal(nanos, JsonRead.EpochNanosAnyUnit(ref r, "Device.synced").Value);
        Assert.Empty(scope.Drift);
    }

    [Fact]
    public async Task A_client_logs_one_warning_per_path_and_hands_rejected_items_to_the_hook()
    {
        var logs = new CapturingLoggerFactory();
        var rejected = new List<JsonRejectedItem>();
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("""[{"id":1,"at":"a","name":"a"},{"id":2,"at":"b","name":"b"},7]"""));
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o =>
        {
            o.LoggerFactory = logs;
            o.OnRejectedItem = rejected.Add;
        }));

        var first = await pipeline.GetItemsAsync();
        await pipeline.GetItemsAsync();

        Assert.Equal(2, first.Count);
        Assert.Equal(new[] { "$[0].at", "$[1].at" }, JsonReadReport.DriftOf(first).Select(d => d.Path));
        Assert.All(JsonReadReport.DriftOf(first), d => Assert.Equal("GET /api/items", d.Endpoint));
        var warnings = logs.Lines.Where(l => l.Id.Name == "Drift").ToList();
        Assert.Single(warnings);
        Assert.Contains("$[*].at", warnings[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"a\"", warnings[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, rejected.Count);
        Assert.All(rejected, r => Assert.Equal("7", Encoding.UTF8.GetString(r.Json.Span)));
    }

    [Fact]
    public async Task Drift_and_rejected_items_are_counted_by_path_in_the_meter()
    {
        var api = "Drift-" + Guid.NewGuid().ToString("N");
        var counted = new List<(string Name, long Value, string? Path, string? Kind)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Diagnostics.EventsTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var t = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                t[tag.Key] = tag.Value;
            }

            if (Equals(t.GetValueOrDefault("api"), api) && instrument.Name is Diagnostics.EventsTelemetry.DriftMetric or Diagnostics.EventsTelemetry.RejectedMetric)
            {
                lock (counted)
                {
                    counted.Add((instrument.Name, value, t.GetValueOrDefault("path") as string, t.GetValueOrDefault("kind") as string));
                }
            }
        });
        listener.Start();
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("""[{"id":1,"at":"a","name":"a"},{"id":2,"at":"b","name":null},[]]"""));
        var descriptor = new ApiDescriptor(api, TestApi.Descriptor.Schemes, TestApi.Descriptor.Errors);
        var pipeline = new EventsPipeline(new HttpClient(), server.BaseUri, new EventsKeyCredential("k"), descriptor, TestApi.FastOptions());

        await pipeline.GetItemsAsync();

        lock (counted)
        {
            Assert.Equal(2, counted.Count(c => c is { Name: Diagnostics.EventsTelemetry.DriftMetric, Path: "$[*].at", Kind: "Defaulted" }));
            Assert.Single(counted, c => c is { Name: Diagnostics.EventsTelemetry.DriftMetric, Path: "$[*].name" });
            Assert.Single(counted, c => c.Name == Diagnostics.EventsTelemetry.RejectedMetric);
        }
    }

    [Fact]
    public async Task Offset_paging_counts_rejected_items_so_a_page_with_one_is_not_taken_as_the_last()
    {
        var offsets = new List<long>();
        var pages = Pager.OffsetPagesAsync<Item>(
            0,
            3,
            PageStop.ShortPage,
            (offset, size, _) =>
            {
                offsets.Add(offset);
                var body = offset == 0 ? """[{"id":1,"at":1,"name":"a"},false,{"id":3,"at":3,"name":"c"}]""" : """[{"id":4,"at":4,"name":"d"}]""";
                return Task.FromResult(EventsResponse.FromValue(JsonPayload.ReadList<Item>(Encoding.UTF8.GetBytes(body), null, Item.Read)));
            },
            null,
            default);

        var items = new List<long>();
        await foreach (var page in pages)
        {
            items.AddRange(page.Items.Select(i => i.Id));
        }

        Assert.Equal(new long[] { 0, 3 }, offsets);
        Assert.Equal(new long[] { 1, 3, 4 }, items);
    }

    [Fact]
    public async Task An_export_writes_rejected_items_beside_the_output_sums_up_drift_and_commits_each_page_once()
    {
        using var dir = new TempDir();
        var bodies = new Dictionary<long, string>
        {
            [1] = """[{"id":1,"at":1,"name":"a"},{"id":2,"at":"late","name":"b"},"garbage"]""",
            [3] = """[{"id":3,"at":3,"name":null}]""",
        };
        var store = new InMemoryCheckpointStore();
        var saves = 0;
        var source = SyncSources.IdCursor<Item>(
            (start, _, _) => Task.FromResult(JsonPayload.ReadList<Item>(Encoding.UTF8.GetBytes(bodies[start ?? 1]), null, Item.Read)),
            static i => i.Id,
            3);
        var file = dir.File("events.ndjson");
        var export = new CheckpointedExport<Item>(source, new CountingStore(store, () => saves++), Ndjson.Sink(file), new ExportOptions { RawJson = true });

        var result = await export.RunOnceAsync();

        Assert.Equal(new long[] { 1, 2, 3 }, Ndjson.Ids(file));
        Assert.Contains("\"at\":\"late\"", File.ReadAllText(file), StringComparison.Ordinal); // the server's value, as sent
        Assert.Equal(1, result.Rejected);
        var line = Assert.Single(File.ReadAllLines(dir.File("events.rejected.ndjson")));
        using (var doc = JsonDocument.Parse(line))
        {
            Assert.Equal("garbage", doc.RootElement.GetProperty("item").GetString());
            Assert.Equal("$[2]", doc.RootElement.GetProperty("path").GetString());
        }

        Assert.Equal(new[] { ("$[*].at", 1L), ("$[*].name", 1L) }, result.Drift.Select(d => (d.PathPattern, d.Count)));
        Assert.Equal(4, saves); // two pages, each saved once pending and once committed
        Assert.Equal(4, result.Checkpoint.Cursor.Position);
    }

    private sealed class CountingStore(ICheckpointStore inner, Action onSave) : ICheckpointStore
    {
        public Task<string?> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public Task SaveAsync(string checkpoint, CancellationToken cancellationToken)
        {
            onSave();
            return inner.SaveAsync(checkpoint, cancellationToken);
        }
    }
}
