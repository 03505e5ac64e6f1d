using EventsBindings.Kit.Verify;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

[Collection(MockServerCollection.Name)]
public class VerifyMockServerTests
{
    private readonly MockServerFixture _mock;
    private readonly ITestOutputHelper _output;

    public VerifyMockServerTests(MockServerFixture mock, ITestOutputHelper output)
    {
        _mock = mock;
        _output = output;
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public async Task Every_check_passes_against_the_mock_server(string name)
    {
        var contract = Contracts.Named(name);
        var (baseUrl, credential) = _mock.Api(name);
        var report = await ContractVerifier.RunAsync(contract, baseUrl, credential, new VerifyOptions { Pace = TimeSpan.Zero });
        _output.WriteLine(report.ToString());
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(0, report.Count(CheckStatus.Warn));
        Assert.True(report.RequestsSent <= 60);
        Assert.True(report.Count(CheckStatus.Pass) >= 10, report.ToString());
        Assert.DoesNotContain(credential, report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_token_is_exchanged_first_and_never_printed()
    {
        var contract = Contracts.Named("Banyan");
        var (baseUrl, credential) = _mock.Api("Banyan", "refresh");
        var report = await ContractVerifier.RunAsync(contract, baseUrl, credential, new VerifyOptions { Pace = TimeSpan.Zero, Scheme = "refresh" });
        _output.WriteLine(report.ToString());
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(CheckStatus.Pass, report.Checks[0].Status);
        Assert.StartsWith("auth:", report.Checks[0].Name, StringComparison.Ordinal);
        Assert.DoesNotContain(credential, report.ToString(), StringComparison.Ordinal);
        using var junit = new MemoryStream();
        report.WriteJUnit(junit);
        Assert.DoesNotContain(credential, System.Text.Encoding.UTF8.GetString(junit.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_credential_fails_without_being_printed()
    {
        var contract = Contracts.Named("AdminByRequest");
        var (baseUrl, _) = _mock.Api("AdminByRequest");
        var report = await ContractVerifier.RunAsync(contract, baseUrl, "not-a-valid-key", new VerifyOptions { Pace = TimeSpan.Zero });
        _output.WriteLine(report.ToString());
        Assert.False(report.Succeeded);
        Assert.Equal(1, report.ExitCode);
        Assert.Contains(report.Checks, c => c.Status == CheckStatus.Fail && c.Reason.Contains("401", StringComparison.Ordinal));
        Assert.DoesNotContain("not-a-valid-key", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_request_budget_is_respected_and_the_rest_is_skipped()
    {
        var contract = Contracts.Named("Banyan");
        var (baseUrl, credential) = _mock.Api("Banyan");
        var report = await ContractVerifier.RunAsync(contract, baseUrl, credential, new VerifyOptions { Pace = TimeSpan.Zero, MaxRequests = 5 });
        _output.WriteLine(report.ToString());
        Assert.Equal(5, report.RequestsSent);
        Assert.True(report.Succeeded, report.ToString());
        Assert.Contains(report.Checks, c => c.Status == CheckStatus.Skip && c.Reason.Contains("budget", StringComparison.Ordinal));
    }
}
