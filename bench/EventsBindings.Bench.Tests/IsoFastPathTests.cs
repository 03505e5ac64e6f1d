using System.Globalization;
using System.Text;
using System.Text.Json;
using EventsBindings.Runtime.Json;
using Xunit;

namespace EventsBindings.Bench.Tests;

/// <summary>
/// The allocation-free ISO reader added to JsonRead for speed must accept exactly what the
/// format-based parser accepts, with the same results (the formats are copied from JsonRead).
/// </summary>
public sealed class IsoFastPathTests
{
    private static readonly string[] LocalFormats = { "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd" };
    private static readonly string[] UtcFormats = { "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'" };

    public static TheoryData<string> Inputs() => new()
    {
        "2022-01-23T15:49:20.597", "2022-01-23T15:49:20", "2022-01-23 15:49:20.5", "2022-01-23T15:49:20.1234567",
        "2022-01-23T15:49:20.12345678", "2022-01-23T15:49:20.", "2022-01-23T15:49", "2022-01-23", "2022-01-23T15:49:20Z",
        "2022-01-23T15:49:20.597Z", "2022-01-23 15:49:20Z", "2022-02-29T00:00:00", "2024-02-29T23:59:59.9999999",
        "2022-13-01T00:00:00", "2022-01-32T00:00:00", "2022-01-23T24:00:00", "2022-01-23T23:60:00", "2022-01-23T23:59:60",
        "0000-01-01T00:00:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59.9999999", "2022-01-23t15:49:20", "2022/01/23T15:49:20",
        "2022-01-23T15:49:20+01:00", "2022-01-23T15:49:2x", " 2022-01-23T15:49:20", "2022-01-23T15:49:20 ", "2022-01-23T15:49:20.5ZZ",
        "20220-01-23T15:49:20", "2022-1-23T15:49:20", "٢٠٢٢-01-23T15:49:20", "",
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void IsoLocal_agrees_with_the_formats(string text)
    {
        var expectedOk = DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var expected);
        var (ok, value) = Read(text, static (ref Utf8JsonReader r) => JsonRead.IsoLocal(ref r, "f"));
        Assert.Equal(expectedOk, ok);
        if (ok)
        {
            Assert.Equal(expected.Ticks, value.Ticks);
            Assert.Equal(DateTimeKind.Unspecified, value.Kind);
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void IsoUtc_agrees_with_the_formats(string text)
    {
        var expectedOk = DateTime.TryParseExact(text, UtcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expected);
        var (ok, value) = Read(text, static (ref Utf8JsonReader r) => JsonRead.IsoUtc(ref r, "f"));
        Assert.Equal(expectedOk, ok);
        if (ok)
        {
            Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(expected, DateTimeKind.Utc)), value);
            Assert.Equal(TimeSpan.Zero, value.Offset);
        }
    }

    [Fact]
    public void Escaped_text_takes_the_format_path()
    {
        var (ok, value) = Read("2022-01-23\\u005415:49:20.5", static (ref Utf8JsonReader r) => JsonRead.IsoLocal(ref r, "f"));
        Assert.True(ok);
        Assert.Equal(new DateTime(2022, 1, 23, 15, 49, 20, 500), value);
    }

    private static (bool Ok, T Value) Read<T>(string text, JsonReadFunc<T> read)
    {
        var json = Encoding.UTF8.GetBytes("\"" + text + "\"");
        var reader = new Utf8JsonReader(json);
        reader.Read();
        try
        {
            return (true, read(ref reader));
        }
        catch (JsonPayloadException)
        {
            return (false, default!);
        }
    }
}
