using EventsBindings.Kit.Verify;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Spec;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

/// <summary>The kit walks next-link endpoints (Link header, body URL, body token) of the next-link test contract against the mock: no duplicate, no gap.</summary>
public sealed class VerifyNextLinkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Verify_walks_every_next_link_variant_against_the_mock_without_duplicates_or_gaps()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "fixtures", "nextlink");
        var contract = ContractReader.ParseFile(Path.Combine(directory, "linked.events.yaml")).Contract!;
        var mock = new EventsBindings.MockServer.Xunit.MockServerFixture(new MockServerOptions { Port = 0, Events = 120, Seed = 5, ContractsDirectory = directory });
        await mock.InitializeAsync();
        try
        {
        var credential = mock.Credential("Linked").Value;

        var report = await ContractVerifier.RunAsync(contract, mock.ApiBaseAddress("Linked"), credential, new VerifyOptions { Pace = TimeSpan.Zero, WalkPageSize = 7, MaxPages = 100, MaxRequests = 500 });
        output.WriteLine(report.ToString());

        foreach (var endpoint in new[] { "Logs", "Feed", "Pages" })
        {
            var paging = report.Checks.Single(c => c.Name == endpoint + ": paging");
            Assert.True(paging.Status == CheckStatus.Pass, paging.Reason);
            Assert.Contains("nextlink", paging.Reason, StringComparison.Ordinal);
            Assert.Contains("no gap", paging.Reason, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(credential, report.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await mock.DisposeAsync();
        }
    }
}
