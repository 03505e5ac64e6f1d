using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// The keys of custom Authorization schemes (<c>kind: authorization, scheme</c>), server URL templates
/// (<c>servers[].variables</c>) and relative defaults (<c>default: { relativeTo, offset }</c>), read from the
/// test contract <c>tests/fixtures/orglog/orglog.events.yaml</c>.
/// </summary>
public sealed class AuthServerDefaultTests
{
    private static ContractSpec OrgLog()
    {
        var result = ContractReader.ParseFile(TestFiles.FixturePath("orglog", "orglog.events.yaml"));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result.Contract!;
    }

    [Fact]
    public void An_authorization_scheme_keeps_its_scheme_name()
    {
        var contract = OrgLog();
        var ssws = contract.FindScheme("ssws")!;
        Assert.Equal(AuthKind.Authorization, ssws.Kind);
        Assert.Equal("SSWS", ssws.AuthorizationScheme);
        Assert.Null(contract.FindScheme("oauth")!.AuthorizationScheme);
    }

    [Fact]
    public void Server_variables_are_read_in_the_order_of_the_url()
    {
        var contract = OrgLog();
        var org = contract.Servers.Single(s => s.Name == "Org");
        Assert.True(org.IsTemplate);
        Assert.Equal("https://{orgDomain}", org.Url);
        var variable = Assert.Single(org.Variables);
        Assert.Equal(new ServerVariableSpec("orgDomain", "example.orglog.test", "The org's domain, e.g. example.orglog.test", EquatableArray<string>.Empty), variable);

        var regional = contract.Servers.Single(s => s.Name == "Regional");
        Assert.Equal(new[] { "region", "tenant" }, regional.Variables.Select(v => v.Name));
        Assert.Equal(new[] { "eu", "us" }, regional.Variables[0].Enum);
        Assert.Null(regional.Variables[1].Default);
    }

    [Fact]
    public void A_relative_default_names_its_anchor_and_offset()
    {
        var since = OrgLog().FindEndpoint("Logs")!.FindParameter("since")!;
        Assert.Null(since.Default);
        Assert.Equal(new RelativeDefaultSpec("until", TimeSpan.FromDays(-7).Ticks), since.RelativeDefault);
        Assert.Equal("7 days before until (or now when until is absent)", since.RelativeDefault!.Describe());
        var now = new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddDays(-7), since.RelativeDefault.Resolve(null, now));
        Assert.Equal(now.AddDays(-8), since.RelativeDefault.Resolve(now.AddDays(-1), now));
    }

    [Fact]
    public void Contracts_that_write_an_offset_differently_are_equal()
    {
        var text = File.ReadAllText(TestFiles.FixturePath("orglog", "orglog.events.yaml"));
        var other = ContractReader.Parse(text.Replace("offset: -P7D", "offset: -P1W"), "other.events.yaml");
        Assert.Equal(OrgLog(), other.Contract);
    }

    [Theory]
    [InlineData("-P7D", -7 * 86_400_000L)]
    [InlineData("P1W", 7 * 86_400_000L)]
    [InlineData("+PT1H30M", 5_400_000L)]
    [InlineData("PT0.5S", 500L)]
    [InlineData("P1DT12H", 129_600_000L)]
    [InlineData("PT0S", 0L)]
    public void Iso_durations_parse(string text, long milliseconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var value, out var problem), problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
        Assert.True(IsoDuration.TryParse(IsoDuration.Format(value), out var again, out _));
        Assert.Equal(value, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7D")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("P1D2W")]
    [InlineData("P1.5D")]
    [InlineData("PT1D")]
    [InlineData("P--1D")]
    [InlineData("P99999999D")]
    public void Non_durations_are_refused_with_a_reason(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData(-7 * 86_400_000L, "7 days")]
    [InlineData(5_400_000L, "1 hour 30 minutes")]
    [InlineData(1_500L, "1.5 seconds")]
    public void Durations_read_as_english(long milliseconds, string text) =>
        Assert.Equal(text, IsoDuration.Describe(TimeSpan.FromMilliseconds(milliseconds)));
}
