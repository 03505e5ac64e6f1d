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
}
