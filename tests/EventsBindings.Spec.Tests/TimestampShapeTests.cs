using System.Globalization;
using EventsBindings.Spec.Parsing;
using Xunit;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// The spec accepts exactly the ISO timestamps .NET can hold: what it lets through, the generator turns
/// into literals and the generated readers parse, so anything it accepts must parse there too.
/// </summary>
public sealed class TimestampShapeTests
{
    [Theory]
    [InlineData("2022-01-23T15:49:20", false, true)]
    [InlineData("2022-01-23 15:49:20.5970000", false, true)]
    [InlineData("2022-01-23T15:49", false, true)]
    [InlineData("2022-01-23T15:49:20.12345678", false, false)] // finer than a tick
    [InlineData("2022-01-23T15:49:60", false, false)] // no leap second in .NET
    [InlineData("2022-01-23t15:49:20", false, false)]
    [InlineData("2022-01-23T15:49:20Z", false, false)] // an offset where none belongs
    [InlineData("2022-01-23T15:49:20Z", true, true)]
    [InlineData("2022-01-23T15:49:20.597+01:00", true, true)]
    [InlineData("2022-01-23T15:49:20-0530", true, true)]
    [InlineData("2022-01-23T15:49:20", true, false)]
    public void Accepts_exactly_what_dotnet_parses(string value, bool offset, bool accepted)
    {
        Assert.Equal(accepted, JsonShapeChecker.IsIsoTimestamp(value, offset));
        if (accepted)
        {
            Assert.True(offset
                ? DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                : DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _), value);
        }
    }
}
