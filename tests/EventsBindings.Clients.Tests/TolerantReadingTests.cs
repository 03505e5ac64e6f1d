using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Json;
using Xunit;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Clients.Tests;

/// <summary>
/// Real data never stops a read: the generated Banyan client reads a page whose third event departs from the
/// contract three ways (null for an array, a string for a number, an unlisted value of a closed enum), yields
/// every event with three drift records, and the checkpointed export writes every event exactly once as the
/// server sent it. Read strictly, the same page fails naming the path.
/// </summary>
public sealed class TolerantReadingTests
{
    private static readonly Uri Base = new("http://drift.test/api/v1/");

    [Fact]
    public async Task A_page_with_drift_yields_every_event_and_three_drift_records()
    {
        var (body, events) = DriftedPage();
        using var http = new HttpClient(new OnePageHandler(body));
        var client = new Banyan.BanyanClient(http, Base, new EventsKeyCredential("k"));

        var page = await client.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();

        Assert.Equal(3, page.Items.Count);
        Assert.Equal(
            new[]
            {
                ("$.data[2].severity", JsonDriftKind.Unlisted, "Event.severity"),
                ("$.data[2].user_principal.user.roles", JsonDriftKind.Defaulted, "User.roles"),
                ("$.data[2].trustscore.score", JsonDriftKind.Defaulted, "TrustScore.score"),
            },
            page.Drift.Select(d => (d.Path, d.Kind, d.Field)));
        var third = page.Items[2];
        Assert.Equal("CRITICAL", third.Severity.Value);
        Assert.False(third.Severity.IsKnown);
        Assert.Empty(third.UserPrincipal.User!.Roles);
        Assert.Equal(0, third.TrustScore!.Score);
        Assert.NotNull(third.OriginalJson);
        Assert.Null(page.Items[0].OriginalJson);
        for (var i = 0; i < events.Count; i++)
        {
            RoundTripTests.AssertSameJson(events[i]!.ToJsonString(), Write(page.Items[i]));
        }
    }

    [Fact]
    public async Task Read_strictly_the_same_page_fails_naming_the_path()
    {
        var (body, _) = DriftedPage();
        using var http = new HttpClient(new OnePageHandler(body));
        var client = new Banyan.BanyanClient(http, Base, new EventsKeyCredential("k"), new Banyan.BanyanClientOptions { Strictness = JsonStrictness.Strict });

        var ex = await Assert.ThrowsAsync<EventsResponseFormatException>(async () => await client.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync());

        Assert.Equal("$.data[2].severity", ex.JsonPath);
        Assert.Equal("Event.severity", ex.Field);
    }

    [Fact]
    public async Task The_export_writes_every_event_exactly_once_as_the_server_sent_it()
    {
        var (body, events) = DriftedPage();
        var dir = Directory.CreateTempSubdirectory("eb-drift-");
        try
        {
            using var http = new HttpClient(new OnePageHandler(body));
            var client = new Banyan.BanyanClient(http, Base, new EventsKeyCredential("k"));
            var file = Path.Combine(dir.FullName, "events.ndjson");
            var sink = NdjsonFileSink.Create<Banyan.Event>(file);
            var store = new FileCheckpointStore(Path.Combine(dir.FullName, "events.checkpoint"));

            var first = await client.CreateEventsExport(store, sink).RunOnceAsync();
            var second = await client.CreateEventsExport(store, sink).RunOnceAsync();

            var lines = File.ReadAllLines(file);
            Assert.Equal(3, lines.Length);
            for (var i = 0; i < lines.Length; i++)
            {
                RoundTripTests.AssertSameJson(events[i]!.ToJsonString(), lines[i]);
            }

            Assert.Equal((3L, 0L), (first.Delivered, second.Delivered));
            Assert.Equal(3, first.Drift.Count);
            Assert.False(File.Exists(Path.Combine(dir.FullName, "events.rejected.ndjson")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("event_v2.json")]
    [InlineData("event_v2_no_user.json")]
    [InlineData("event_v2_null_user.json")]
    [InlineData("events_v2.json")]
    public void Every_real_fixture_reads_without_drift_in_either_mode(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan", file));
        var list = file.StartsWith("events", StringComparison.Ordinal);
        foreach (var strictness in new[] { JsonStrictness.Tolerant, JsonStrictness.Strict })
        {
            using var scope = JsonReadScope.Begin(strictness);
            if (list)
            {
                Assert.Equal(3, JsonPayload.ReadList<Banyan.Event>(bytes, null, ContractJson.Read<Banyan.Event>).Count);
            }
            else
            {
                JsonPayload.ReadItem<Banyan.Event>(bytes, null, ContractJson.Read<Banyan.Event>);
            }

            Assert.Empty(scope.Drift);
        }
    }

    /// <summary>The recorded three-event page, its third event changed three ways, inside the contract's envelope.</summary>
    private static (string Body, JsonArray Events) DriftedPage()
    {
        var events = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan", "events_v2.json")))!.AsArray();
        var third = events[2]!.AsObject();
        third["severity"] = "CRITICAL";
        third["user_principal"]!["user"]!["roles"] = null;
        third["trustscore"]!["score"] = "high";
        var body = new JsonObject { ["data"] = events.DeepClone(), ["count"] = 3 }.ToJsonString();
        return (body, events);
    }

    private static string Write(Banyan.Event e)
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream))
        {
            ContractJson.Write(w, e);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Answers the first list request with the page and every later one with an empty page.</summary>
    private sealed class OnePageHandler(string body) : HttpMessageHandler
    {
        private int _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var text = Interlocked.Increment(ref _requests) == 1 ? body : """{"data":[],"count":0}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, "application/json") });
        }
    }
}

/// <summary>
/// Input nobody has seen: the recorded events with values replaced by values of other JSON types (or
/// removed) at random places. Tolerant reading must yield every event and write each back as it came;
/// strict reading may only fail with a <see cref="JsonPayloadException"/>, and only where there was drift.
/// </summary>
public sealed class TolerantReadingFuzzTests
{
    private static readonly string[] Replacements = { "null", "true", "42", "1.5", "\"str\"", "{\"a\":1}", "[1,\"x\"]", "" };

    [Fact]
    public void Retyped_and_removed_values_never_stop_a_read_and_round_trip_as_sent()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan", "events_v2.json"));
        var seed = Environment.GetEnvironmentVariable("EVENTSBINDINGS_FUZZ_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261203;
        var random = new Random(seed);
        var drifted = 0;
        for (var round = 0; round < 300; round++)
        {
            var events = JsonNode.Parse(text)!.AsArray();
            foreach (var e in events)
            {
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    Mutate(e!.AsObject(), random);
                }
            }

            var body = Encoding.UTF8.GetBytes(events.ToJsonString());
            var read = JsonPayload.ReadList<Banyan.Event>(body, null, ContractJson.Read<Banyan.Event>);
            Assert.True(read.Count == 3, $"seed {seed} round {round}: {read.Count} events");
            for (var i = 0; i < 3; i++)
            {
                RoundTripTests.AssertSameJson(events[i]!.ToJsonString(), Write(read[i]));
            }

            var drift = JsonReadReport.DriftOf(read);
            drifted += drift.Count > 0 ? 1 : 0;
            using var strict = JsonReadScope.Begin(JsonStrictness.Strict);
            var failure = Record.Exception(() => JsonPayload.ReadList<Banyan.Event>(body, null, ContractJson.Read<Banyan.Event>));
            if (failure is not null)
            {
                Assert.IsType<JsonPayloadException>(failure);
                Assert.NotEmpty(drift);
            }
        }

        Assert.True(drifted > 200, $"only {drifted} of 300 rounds drifted: the mutations are too gentle to test anything");
    }

    /// <summary>Replaces (or removes) one value below the event's root.</summary>
    private static void Mutate(JsonObject root, Random random)
    {
        JsonNode node = root;
        while (true)
        {
            var children = node switch
            {
                JsonObject o => o.Select(p => p.Value).ToList(),
                JsonArray a => a.ToList(),
                _ => new List<JsonNode?>(),
            };
            var next = children.Count == 0 ? null : children[random.Next(children.Count)];
            if (next is null || (node != root && random.Next(3) == 0))
            {
                break;
            }

            node = next;
        }

        if (node == root || node.Parent is not { } parent)
        {
            return;
        }

        var replacement = Replacements[random.Next(Replacements.Length)];
        if (parent is JsonObject obj)
        {
            var name = obj.First(p => ReferenceEquals(p.Value, node)).Key;
            if (replacement.Length == 0)
            {
                obj.Remove(name);
            }
            else
            {
                obj[name] = JsonNode.Parse(replacement);
            }
        }
        else if (parent is JsonArray array)
        {
            array[array.IndexOf(node)] = JsonNode.Parse(replacement.Length == 0 ? "null" : replacement);
        }
    }

    private static string Write(Banyan.Event e)
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream))
        {
            ContractJson.Write(w, e);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
