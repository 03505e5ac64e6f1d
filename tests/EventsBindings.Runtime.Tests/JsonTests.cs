using System.Buffers;
using System.Text;
using System.Text.Json;
using EventsBindings.Runtime.Json;
using EventsBindings.Runtime.Tests.Support;
using Xunit;

namespace EventsBindings.Runtime.Tests;

public sealed class JsonTests
{
    private delegate T Reader<T>(ref Utf8JsonReader r, string field);

    private static T ReadValue<T>(string json, Reader<T> read)
    {
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        r.Read();
        return read(ref r, "M.f");
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Short_strings_read_on_many_threads_at_once_are_each_their_own_value()
    {
        // The short-string cache is shared by all threads: values that collide in it, read at the same
        // time, must still come back byte for byte (a hit needs an equal value, a race only a miss).
        var failures = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var expected = $"v{(i * 7919 + thread) % 3000}";
                if (ReadValue($"\"{expected}\"", JsonRead.String) != expected)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Iso_local_round_trips_with_the_shortest_fraction()
    {
        var value = ReadValue("\"2022-01-23T15:49:20.597\"", JsonRead.IsoLocal);

        Assert.Equal(DateTimeKind.Unspecified, value.Kind);
        Assert.Equal(new DateTime(2022, 1, 23, 15, 49, 20, 597), value);
        Assert.Equal("\"2022-01-23T15:49:20.597\"", Write(w => JsonWrite.IsoLocal(w, value)));
        Assert.Equal("\"2022-01-23T15:49:20\"", Write(w => JsonWrite.IsoLocal(w, new DateTime(2022, 1, 23, 15, 49, 20))));
    }

    [Fact]
    public void Utc_and_offset_times_are_read_and_written()
    {
        var utc = ReadValue("\"2024-05-01T10:00:00.5\"", JsonRead.IsoUtc);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, 500, TimeSpan.Zero), utc);
        Assert.Equal("\"2024-05-01T10:00:00.5\"", Write(w => JsonWrite.IsoUtc(w, utc)));

        var iso = ReadValue("\"2024-05-01T12:00:00+02:00\"", JsonRead.Iso);
        Assert.Equal(utc.AddMilliseconds(-500), iso);
        Assert.Equal("\"2024-05-01T12:00:00+02:00\"", Write(w => JsonWrite.Iso(w, iso)));
        Assert.Equal("\"2024-05-01T10:00:00Z\"", Write(w => JsonWrite.Iso(w, iso.ToUniversalTime())));
    }

    [Fact]
    public void Epoch_nanoseconds_are_exact_beyond_double_precision()
    {
        const long ns = 1_700_000_000_123_456_789;
        var value = ReadValue(ns.ToString(System.Globalization.CultureInfo.InvariantCulture), JsonRead.EpochNanos);

        Assert.Equal(ns, value.Value);
        Assert.Equal("1700000000123456789", Write(w => JsonWrite.EpochNanos(w, value)));
        Assert.Equal(1_700_000_000_123L, value.ToUnixTimeMilliseconds());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).AddTicks(4567), value.ToDateTimeOffset());
        Assert.True(new EpochNanoseconds(1) < value);
        Assert.Equal(value, ReadValue("\"1700000000123456789\"", JsonRead.EpochNanos));
    }

    [Fact]
    public void Epoch_millis_and_dates_are_read()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), ReadValue("1700000000123", JsonRead.EpochMillis));
        Assert.Equal(new DateOnly(2024, 2, 29), ReadValue("\"2024-02-29\"", JsonRead.Date));
        Assert.Null(ReadValue("null", JsonRead.EpochMillisOrNull));
        Assert.Null(ReadValue("null", JsonRead.StringOrNull));
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("1.5")]
    [InlineData("null")]
    [InlineData("{}")]
    public void Wrong_tokens_name_the_field_not_the_value(string json)
    {
        var ex = Assert.Throws<JsonPayloadException>(() => ReadValue(json, JsonRead.Int32));

        Assert.Equal("M.f", ex.Field);
        Assert.Equal("$", ex.Path);
        Assert.Contains("32-bit integer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Envelope_lists_tolerate_other_properties_and_null()
    {
        var list = JsonPayload.ReadList<long>("""{"count":2,"data":[5,6],"more":{"x":[1]}}"""u8, "data", static (ref Utf8JsonReader r) => JsonRead.Int64(ref r, "n"));
        Assert.Equal(new long[] { 5, 6 }, list);

        Assert.Empty(JsonPayload.ReadList<long>("""{"data":null}"""u8, "data", static (ref Utf8JsonReader r) => JsonRead.Int64(ref r, "n")));

        var missing = Assert.Throws<JsonPayloadException>(() => JsonPayload.ReadList<long>("""{"items":[]}"""u8, "data", static (ref Utf8JsonReader r) => JsonRead.Int64(ref r, "n")));
        Assert.Contains("'data'", missing.Message, StringComparison.Ordinal);

        var trailing = Assert.Throws<JsonPayloadException>(() => JsonPayload.ReadList<long>("[1] [2]"u8, null, static (ref Utf8JsonReader r) => JsonRead.Int64(ref r, "n")));
        Assert.Contains("not valid JSON", trailing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_arrays_report_their_index_in_the_path()
    {
        using var strict = JsonReadScope.Begin(JsonStrictness.Strict);
        var ex = Assert.Throws<JsonPayloadException>(() => JsonPayload.ReadList<IReadOnlyList<string>>(
            """[["a"],["b",3]]"""u8,
            null,
            static (ref Utf8JsonReader r) => JsonRead.Array<string>(ref r, "M.tags", static (ref Utf8JsonReader x) => JsonRead.String(ref x, "M.tags"))));

        Assert.Equal("$[1][1]", ex.Path);
        Assert.Equal("M.tags", ex.Field);
    }

    [Fact]
    public void Extension_data_keeps_unknown_properties_in_order_and_writes_them_back()
    {
        var data = new JsonExtensionData();
        var r = new Utf8JsonReader("""{"z":1,"a":{"deep":[true,null]},"m":"s"}"""u8);
        r.Read();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            r.Read();
            data.Read(ref r, name);
        }

        Assert.Equal(3, data.Count);
        Assert.Equal("s", data["m"].GetString());
        Assert.Equal("""{"z":1,"a":{"deep":[true,null]},"m":"s"}""", Write(w =>
        {
            w.WriteStartObject();
            data.WriteTo(w);
            w.WriteEndObject();
        }));
    }

    [Fact]
    public void Raw_item_json_is_kept_only_inside_a_capture_scope()
    {
        var first = """{ "id" : 1,"at":5 , "name":"caf\u00e9 \u2603", "score": 1.500 }""";
        var second = """{"id":2,"at":6,"name":"b","extra":{"x" : [ 1 , 2 ]}}""";
        var body = Encoding.UTF8.GetBytes("""{"meta": {"n": 2}, "data" : [ """ + first + " ,\n\t" + second + """ ] , "more": true }""");

        var plain = JsonPayload.ReadList<Item>(body, "data", Item.Read);
        IReadOnlyList<Item> captured;
        using (RawJsonCapture.Begin())
        {
            Assert.True(RawJsonCapture.IsActive);
            captured = JsonPayload.ReadList<Item>(body, "data", Item.Read);
        }

        Assert.False(RawJsonCapture.IsActive);
        Assert.IsNotAssignableFrom<IRawJsonItems>(plain);
        var raw = Assert.IsType<RawJsonItems<Item>>(captured);
        Assert.Equal(plain, captured);
        Assert.Equal(first, Encoding.UTF8.GetString(raw.GetRawJson(0).Span));
        Assert.Equal(second, Encoding.UTF8.GetString(raw.GetRawJson(1).Span));
        Assert.Throws<ArgumentOutOfRangeException>(() => raw.GetRawJson(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => raw.GetRawJson(-1));
        Assert.Equal("café ☃", captured[0].Name);

        // Read-only: nothing can insert, remove or reorder an item apart from its JSON.
        Assert.IsNotAssignableFrom<System.Collections.IList>(captured);
        Assert.IsNotAssignableFrom<ICollection<Item>>(captured);
    }

    [Theory]
    [InlineData("[]", null)]
    [InlineData(" [ ] ", null)]
    [InlineData("""{"data":null}""", "data")]
    public void Raw_capture_of_no_items_is_an_empty_raw_list(string body, string? envelope)
    {
        using (RawJsonCapture.Begin())
        {
            var items = Assert.IsType<RawJsonItems<Item>>(JsonPayload.ReadList<Item>(Encoding.UTF8.GetBytes(body), envelope, Item.Read));
            Assert.Empty(items);
            Assert.Throws<ArgumentOutOfRangeException>(() => items.GetRawJson(0));
        }
    }

    [Fact]
    public async Task Raw_capture_flows_into_asynchronous_calls_and_ends_with_its_scope()
    {
        var body = Encoding.UTF8.GetBytes("""[{"id":1}]""");
        static async Task<IReadOnlyList<Item>> ParseLaterAsync(byte[] json)
        {
            await Task.Yield();
            return JsonPayload.ReadList<Item>(json, null, Item.Read);
        }

        Task<IReadOnlyList<Item>> inside;
        using (RawJsonCapture.Begin())
        {
            inside = ParseLaterAsync(body);
        }

        Assert.IsType<RawJsonItems<Item>>(await inside);
        Assert.IsNotAssignableFrom<IRawJsonItems>(await ParseLaterAsync(body));
    }

    [Theory]
    [InlineData("{\"items\":[],\"@odata.nextLink\":\"https://x/p2\"}", "https://x/p2")]
    [InlineData("{\"@odata\":{\"nextLink\":\"wrong\"},\"@odata.nextLink\":\"right\"}", "right")]
    [InlineData("{\"@odata\":{\"nextLink\":\"wrong\"}}", null)]
    [InlineData("{\"@odata.nextLink\":null}", null)]
    [InlineData("{\"@odata.nextLink\":\"\"}", null)]
    public void ReadStringAt_takes_a_name_with_a_dot_as_one_property(string json, string? expected)
    {
        Assert.Equal(expected, JsonPayload.ReadStringAt(Encoding.UTF8.GetBytes(json), new[] { "@odata.nextLink" }));
    }

    [Fact]
    public void ReadStringAt_walks_nested_names_and_names_with_dots_alike()
    {
        var body = Encoding.UTF8.GetBytes("{\"links\":{\"next.url\":\"a\",\"next\":{\"url\":\"b\"}},\"items\":[]}");

        Assert.Equal("a", JsonPayload.ReadStringAt(body, new[] { "links", "next.url" }));
        Assert.Equal("b", JsonPayload.ReadStringAt(body, new[] { "links", "next", "url" }));
        Assert.Null(JsonPayload.ReadStringAt(body, new[] { "links.next.url" }));
        var ex = Assert.Throws<JsonPayloadException>(() => JsonPayload.ReadStringAt(Encoding.UTF8.GetBytes("{\"@odata.nextLink\":3}"), new[] { "@odata.nextLink" }));
        Assert.Contains("@odata.nextLink", ex.Message, StringComparison.Ordinal);
    }
}
