using EventsBindings.Filtering;
using Xunit;

namespace EventsBindings.Runtime.Tests;

/// <summary>The runtime's SCIM expression type writes filters a server reads: quoting, values by type, precedence.</summary>
public sealed class ScimFilterTests
{
    private static readonly ScimStringAttribute EventType = new("eventType");
    private static readonly ScimOrderedAttribute<DateTimeOffset> Published = new("published", ScimValue.Instant);
    private static readonly ScimOrderedAttribute<long> Count = new("count", v => ScimValue.Number(v));

    [Fact]
    public void A_comparison_is_written_with_a_quoted_escaped_string()
    {
        Assert.Equal("eventType eq \"user.session.start\"", EventType.Eq("user.session.start").ToString());
        Assert.Equal("eventType co \"say \\\"hi\\\" \\\\ back\\nslash\\u0001\"", EventType.Co("say \"hi\" \\ back\nslash\u0001").ToString());
    }

    [Fact]
    public void Instants_are_ISO_8601_UTC_with_milliseconds()
    {
        var at = new DateTimeOffset(2024, 5, 1, 12, 30, 0, 7, TimeSpan.FromHours(2));
        Assert.Equal("published gt \"2024-05-01T10:30:00.007Z\"", Published.Gt(at).ToString());
        Assert.Equal("\"2024-05-01\"", ScimValue.Date(new DateOnly(2024, 5, 1)).Literal);
        Assert.Equal("count le -3", Count.Le(-3).ToString());
        Assert.Equal("1.5", ScimValue.Number(1.5).Literal);
        Assert.Equal("true", ScimValue.Boolean(true).Literal);
    }

    [Fact]
    public void Precedence_adds_only_the_parentheses_needed()
    {
        var a = EventType.Eq("a");
        var b = EventType.Eq("b");
        var c = Count.Gt(1);
        Assert.Equal("eventType eq \"a\" and eventType eq \"b\" or count gt 1", (a & b | c).ToString());
        Assert.Equal("eventType eq \"a\" and (eventType eq \"b\" or count gt 1)", a.And(b.Or(c)).ToString());
        Assert.Equal("not (eventType eq \"a\" or eventType eq \"b\") and count pr", (!(a | b) & Count.Pr()).ToString());
        Assert.Equal("eventType eq \"a\" or eventType eq \"b\" and count gt 1", a.Or(b.And(c)).ToString());
    }

    [Fact]
    public void An_expression_converts_to_its_text()
    {
        string? text = EventType.Sw("user.");
        Assert.Equal("eventType sw \"user.\"", text);
        Assert.Throws<ArgumentException>(() => ScimFilter.Present("bad path"));
    }
}
