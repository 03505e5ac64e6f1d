using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Runtime.Json;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Clients.Tests;

/// <summary>
/// Every documented example and every real Banyan event goes through the generated converters
/// and comes back as the same JSON, unknown properties included.
/// </summary>
public sealed class RoundTripTests
{
    private static string Contracts => Path.Combine(AppContext.BaseDirectory, "contracts");

    public static TheoryData<string, string, string> Examples()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var file in new[] { "adminbyrequest.events.yaml", "banyan.events.yaml" })
        {
            var contract = ContractReader.ParseFile(Path.Combine(Contracts, file)).Contract!;
            foreach (var endpoint in contract.Endpoints)
            {
                foreach (var example in endpoint.Examples)
                {
                    data.Add(file, endpoint.Name, example.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Documented_examples_round_trip(string file, string endpointName, string exampleName)
    {
        var contract = ContractReader.ParseFile(Path.Combine(Contracts, file)).Contract!;
        var endpoint = contract.FindEndpoint(endpointName)!;
        var example = endpoint.Examples.Single(e => e.Name == exampleName);
        var bytes = Encoding.UTF8.GetBytes(example.Body);

        var written = (contract.Name, endpoint.Response.Kind) switch
        {
            (_, ResponseKind.Count) => Wrap(endpoint.Response.Envelope, w => w.WriteNumberValue(JsonPayload.ReadCount(bytes, endpoint.Response.Envelope))),
            ("AdminByRequest", ResponseKind.List) => WriteList(endpoint.Response.Envelope, JsonPayload.ReadList<Abr.Event>(bytes, endpoint.Response.Envelope, ContractJson.Read<Abr.Event>), ContractJson.Write),
            ("AdminByRequest", _) => Wrap(endpoint.Response.Envelope, w => ContractJson.Write(w, JsonPayload.ReadItem<Abr.Event>(bytes, endpoint.Response.Envelope, ContractJson.Read<Abr.Event>))),
            ("Banyan", ResponseKind.List) when endpoint.Response.Model == "FeedEvent" => WriteList(endpoint.Response.Envelope, JsonPayload.ReadList<Banyan.FeedEvent>(bytes, endpoint.Response.Envelope, ContractJson.Read<Banyan.FeedEvent>), ContractJson.Write),
            ("Banyan", ResponseKind.List) => WriteList(endpoint.Response.Envelope, JsonPayload.ReadList<Banyan.Event>(bytes, endpoint.Response.Envelope, ContractJson.Read<Banyan.Event>), ContractJson.Write),
            ("Banyan", ResponseKind.Token) => Wrap(endpoint.Response.Envelope, w => ContractJson.Write(w, JsonPayload.ReadItem<Banyan.TokenResponse>(bytes, endpoint.Response.Envelope, ContractJson.Read<Banyan.TokenResponse>))),
            _ => throw new InvalidOperationException($"no converter wired for {contract.Name}.{endpoint.Name}"),
        };

        AssertSameJson(example.Body, written);
    }

    [Theory]
    [InlineData("event_v2.json")]
    [InlineData("event_v2_no_user.json")]
    [InlineData("event_v2_null_user.json")]
    public void Real_banyan_events_round_trip(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan", file));
        var e = JsonPayload.ReadItem<Banyan.Event>(Encoding.UTF8.GetBytes(text), null, ContractJson.Read<Banyan.Event>);
        AssertSameJson(text, Wrap(null, w => ContractJson.Write(w, e)));
    }

    [Fact]
    public void Real_banyan_event_list_round_trips()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan", "events_v2.json"));
        var events = JsonPayload.ReadList<Banyan.Event>(Encoding.UTF8.GetBytes(text), null, ContractJson.Read<Banyan.Event>);
        Assert.Equal(3, events.Count);
        AssertSameJson(text, WriteList(null, events, ContractJson.Write));
    }

    [Fact]
    public void Absent_and_null_stay_distinct()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan");
        var absent = JsonPayload.ReadItem<Banyan.Event>(File.ReadAllBytes(Path.Combine(dir, "event_v2_no_user.json")), null, ContractJson.Read<Banyan.Event>);
        var nulled = JsonPayload.ReadItem<Banyan.Event>(File.ReadAllBytes(Path.Combine(dir, "event_v2_null_user.json")), null, ContractJson.Read<Banyan.Event>);
        Assert.Null(absent.UserPrincipal!.User);
        Assert.Null(nulled.UserPrincipal!.User);
        Assert.DoesNotContain("\"user\"", Wrap(null, w => ContractJson.Write(w, absent.UserPrincipal)), StringComparison.Ordinal);
        Assert.Contains("\"user\":null", Wrap(null, w => ContractJson.Write(w, nulled.UserPrincipal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_properties_and_enum_values_survive()
    {
        const string json = """
            {"id": 7, "eventCode": 999, "eventLevel": 5, "eventText": null, "eventTime": "2024-03-01T10:00:00",
             "eventTimeUTC": "2024-03-01T09:00:00.5", "computerName": "PC", "userAccount": null, "userName": null,
             "alertAccount": null, "auditLogURL": null, "rollback": true, "additionalData": null,
             "application": null, "newField": {"nested": [1, 2, {"x": "y"}]}, "another": 1.5e3}
            """;
        var e = JsonPayload.ReadItem<Abr.Event>(Encoding.UTF8.GetBytes(json), null, ContractJson.Read<Abr.Event>);
        Assert.False(e.EventCode.IsKnown);
        Assert.Equal(999, e.EventCode.Value);
        Assert.Null(e.EventCode.Description);
        Assert.Equal(2, e.AdditionalProperties!.Count);
        AssertSameJson(json, Wrap(null, w => ContractJson.Write(w, e)));
    }

    [Fact]
    public void Escaped_reordered_and_split_input_reads_like_the_plain_event()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan", "event_v2.json"));
        var node = JsonNode.Parse(text)!.AsObject();
        var groups = node["user_principal"]!["user"]!["groups"]!.AsArray();
        for (var i = 0; i < 20; i++)
        {
            groups.Add($"group-{i}");
        }

        // Properties out of the contract's order (the reader's expected-next guess misses), names and
        // enum values with escapes (matched after unescaping, as the plain ones are).
        var message = node["message"]!.DeepClone();
        node.Remove("message");
        node.Insert(0, "message", message);
        var plain = node.ToJsonString();
        var escaped = plain
            .Replace("\"severity\":\"INFO\"", "\"sev\\u0065rity\":\"\\u0049NFO\"", StringComparison.Ordinal)
            .Replace("\"org_id\"", "\"org\\u005fid\"", StringComparison.Ordinal);
        Assert.NotEqual(plain, escaped);

        var expected = JsonPayload.ReadItem<Banyan.Event>(Encoding.UTF8.GetBytes(plain), null, ContractJson.Read<Banyan.Event>);
        var fromEscaped = JsonPayload.ReadItem<Banyan.Event>(Encoding.UTF8.GetBytes(escaped), null, ContractJson.Read<Banyan.Event>);
        var reader = new Utf8JsonReader(OneByteSegments.Of(Encoding.UTF8.GetBytes(escaped)));
        reader.Read();
        var fromSegments = ContractJson.Read<Banyan.Event>(ref reader);

        Assert.Equal(Banyan.Severity.Info, expected.Severity);
        Assert.Equal(22, expected.UserPrincipal.User!.Groups!.Count);
        foreach (var e in new[] { fromEscaped, fromSegments })
        {
            Assert.Null(e.AdditionalProperties);
            Assert.Equal(Banyan.Severity.Info, e.Severity);
            Assert.True(e.Severity.IsKnown);
            Assert.Equal(expected.OrgId, e.OrgId);
            Assert.Equal(expected.Message, e.Message);
            AssertSameJson(plain, Wrap(null, w => ContractJson.Write(w, e)));
        }
    }

    [Fact]
    public void Known_values_are_typed()
    {
        var contract = ContractReader.ParseFile(Path.Combine(Contracts, "adminbyrequest.events.yaml")).Contract!;
        var body = contract.FindEndpoint("Event")!.Examples[0].Body;
        var e = JsonPayload.ReadItem<Abr.Event>(Encoding.UTF8.GetBytes(body), null, ContractJson.Read<Abr.Event>);
        Assert.Equal(53820480, e.Id);
        Assert.Equal(Abr.EventCode.ExecutionOfFileBlockedByPolicy, e.EventCode);
        Assert.Equal(Abr.EventLevel.Informational, e.EventLevel);
        Assert.Equal(new DateTime(2022, 1, 27, 12, 16, 38, 817), e.EventTime);
        Assert.Equal(DateTimeKind.Unspecified, e.EventTime.Kind);
        Assert.Equal(new DateTimeOffset(2022, 1, 27, 12, 16, 38, 817, TimeSpan.Zero), e.EventTimeUtc);
        Assert.Equal("msedge.exe", e.Application!.File);
    }

    private static string WriteList<T>(string? envelope, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write) =>
        Wrap(envelope, w =>
        {
            w.WriteStartArray();
            foreach (var item in items)
            {
                write(w, item);
            }

            w.WriteEndArray();
        });

    private static string Wrap(string? envelope, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            if (envelope is not null)
            {
                writer.WriteStartObject();
                writer.WritePropertyName(envelope);
            }

            write(writer);
            if (envelope is not null)
            {
                writer.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static void AssertSameJson(string expected, string actual)
    {
        var a = JsonNode.Parse(expected);
        var b = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(a, b), $"JSON differs.\nexpected: {a?.ToJsonString()}\nactual:   {b?.ToJsonString()}");
    }

    /// <summary>A sequence of one-byte segments: every token the reader sees spans segments.</summary>
    private sealed class OneByteSegments : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        private OneByteSegments(ReadOnlyMemory<byte> memory, long start)
        {
            Memory = memory;
            RunningIndex = start;
        }

        public static System.Buffers.ReadOnlySequence<byte> Of(byte[] bytes)
        {
            var first = new OneByteSegments(bytes.AsMemory(0, 1), 0);
            var last = first;
            for (var i = 1; i < bytes.Length; i++)
            {
                var next = new OneByteSegments(bytes.AsMemory(i, 1), i);
                last.Next = next;
                last = next;
            }

            return new System.Buffers.ReadOnlySequence<byte>(first, 0, last, 1);
        }
    }
}
