using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Spec.Tests;

/// <summary>The next-link test contract (tests/fixtures/nextlink) parses into the model the runtime, mock and generator read.</summary>
public sealed class NextLinkSpecTests(ITestOutputHelper output)
{
    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "fixtures", "nextlink", "linked.events.yaml");

    [Fact]
    public void The_nextlink_fixture_loads_without_diagnostics_and_models_each_variant()
    {
        var result = ContractReader.ParseFile(FixturePath);
        foreach (var d in result.Diagnostics)
        {
            output.WriteLine(d.ToString());
        }

        Assert.Empty(result.Diagnostics);
        var contract = result.Contract!;
        var logs = contract.Endpoints.Single(e => e.Name == "Logs");
        Assert.Equal(PaginationStrategy.NextLink, logs.Pagination!.Strategy);
        Assert.Equal(new NextLinkSpec("Link", "next", null, null), logs.Pagination.NextLink);
        Assert.Equal("after", logs.Pagination.TokenParameter);
        Assert.Equal("limit", logs.Pagination.PageSizeParameter);
        Assert.Equal(StopRule.EmptyPage, logs.Pagination.Stop);
        Assert.Equal(SyncStrategy.NextLink, logs.Sync!.Strategy);
        Assert.Equal("uuid", logs.Sync.DedupBy);
        Assert.Equal("after", logs.Sync.Parameter);
        Assert.Equal(SemanticsKind.PageToken, logs.FindParameter("after")!.Semantics.Kind);

        var feed = contract.Endpoints.Single(e => e.Name == "Feed");
        Assert.Equal(new NextLinkSpec(null, null, BodyPath.Of("links", "next"), null), feed.Pagination!.NextLink);
        Assert.Equal(StopRule.Absent, feed.Pagination.Stop);
        Assert.Equal("cursor", feed.Pagination.TokenParameter);
        Assert.False(feed.Pagination.NextLink!.IsToken);

        var pages = contract.Endpoints.Single(e => e.Name == "Pages");
        Assert.Equal(new NextLinkSpec(null, null, BodyPath.Of("nextPageToken"), "pageToken"), pages.Pagination!.NextLink);
        Assert.True(pages.Pagination.NextLink!.IsToken);
        Assert.Equal("pageToken", pages.Pagination.TokenParameter);
    }

    [Fact]
    public void A_nextlink_contract_is_value_equal_across_parses()
    {
        var a = ContractReader.ParseFile(FixturePath).Contract;
        var b = ContractReader.ParseFile(FixturePath).Contract;
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("links.next", new[] { "links", "next" })]
    [InlineData("['@odata.nextLink']", new[] { "@odata.nextLink" })]
    [InlineData("meta['next.url']", new[] { "meta", "next.url" })]
    [InlineData("['a.b'].c['d']", new[] { "a.b", "c", "d" })]
    [InlineData(@"['it\'s\\here']", new[] { @"it's\here" })]
    [InlineData("nextPageToken", new[] { "nextPageToken" })]
    public void A_body_path_splits_on_dots_outside_brackets_only(string text, string[] segments)
    {
        var path = BodyPath.TryParse(text, out var error);

        Assert.Null(error);
        Assert.Equal(segments, path!.Segments);
        Assert.Equal(text, path.Text);
        Assert.Equal(segments, BodyPath.TryParse(BodyPath.Of(segments).Text, out _)!.Segments); // Of writes what TryParse reads
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a..b", "character 3")]
    [InlineData("a.", "character 2")]
    [InlineData("['@odata.nextLink'", "character 1")]
    [InlineData("['@odata.nextLink", "character 1")]
    [InlineData("[@odata.nextLink]", "character 1")]
    [InlineData("['']", "empty name")]
    [InlineData("['a']b", "character 6")]
    [InlineData("a]b", "character 2")]
    [InlineData(@"['a\x']", "character 4")]
    public void A_malformed_body_path_is_refused_with_the_position(string text, string where)
    {
        Assert.Null(BodyPath.TryParse(text, out var error));
        Assert.Contains(where, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_nextLink_field_is_parsed_into_one_name()
    {
        var text = File.ReadAllText(FixturePath).Replace("nextLink: { field: links.next }", "nextLink: { field: \"['@odata.nextLink']\" }", StringComparison.Ordinal);

        var result = ContractReader.Parse(text, "linked.events.yaml");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "@odata.nextLink" }, result.Contract!.FindEndpoint("Feed")!.Pagination!.NextLink!.Field!.Segments);
    }

    [Fact]
    public void An_error_code_field_takes_its_code_and_the_codes_copies_from_the_example_body()
    {
        var okta = ContractReader.ParseFile(TestFiles.ContractPath("okta.events.yaml")).Contract!;

        var fields = okta.Errors.Single(e => e.Status == 400).Fields!;

        Assert.Equal("errorCode", fields.Code);
        Assert.Equal("E0000001", fields.DocumentedCode);
        Assert.Equal(new[] { "errorLink" }, fields.CodeCopies);
    }
}
