using EventsBindings.Kit.Verify;
using EventsBindings.Spec.Model;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

/// <summary>
/// verify's checks of the parameter kinds that are no filters on a field value (relative windows, sort
/// order, newest N, offsets) pass against the mock and fail against a server that ignores the parameter;
/// and verify waits out a 429 (Retry-After, bounded) and retries once instead of failing.
/// </summary>
[Collection(MockServerCollection.Name)]
public class VerifySemanticsAndThrottlingTests
{
    private static readonly SemanticsKind[] Kinds = { SemanticsKind.RelativeWindow, SemanticsKind.SortOrder, SemanticsKind.NewestN, SemanticsKind.Offset };

    private readonly MockServerFixture _mock;
    private readonly ITestOutputHelper _output;

    public VerifySemanticsAndThrottlingTests(MockServerFixture mock, ITestOutputHelper output)
    {
        _mock = mock;
        _output = output;
    }

    /// <summary>Every (contract, parameter) of those kinds on a list endpoint, from the contracts.</summary>
    public static TheoryData<string, string> Parameters()
    {
        var data = new TheoryData<string, string>();
        foreach (var contract in Contracts.Everything)
        {
            var names = contract.Endpoints.Where(e => e.Response.Kind == ResponseKind.List)
                .SelectMany(e => e.Parameters).Where(p => Kinds.Contains(p.Semantics.Kind)).Select(p => p.WireName).Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                data.Add(contract.Name, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public async Task The_parameters_check_passes_against_the_mock_and_fails_against_a_server_that_ignores_it(string api, string parameter)
    {
        var contract = Contracts.Named(api);
        var (upstream, credential) = _mock.Api(api);
        var options = new VerifyOptions { Pace = TimeSpan.Zero, MaxRequests = 200 };
        var kind = contract.Endpoints.SelectMany(e => e.Parameters).First(p => p.WireName == parameter).Semantics.Kind;
        var suffix = $" {parameter} ({char.ToLowerInvariant(kind.ToString()[0])}{kind.ToString()[1..]})";

        var honest = await ContractVerifier.RunAsync(contract, upstream, credential, options);
        var checks = honest.Checks.Where(c => c.Name.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.True(c.Status == CheckStatus.Pass, honest.ToString()));

        await using var deaf = await StubServer.ForwardAsync(upstream, (_, query) =>
        {
            query.Remove(parameter);
            return Task.FromResult(false);
        });
        var report = await ContractVerifier.RunAsync(contract, deaf.BaseUri, credential, options);
        _output.WriteLine(report.ToString());
        Assert.False(report.Succeeded);
        Assert.Equal(1, report.ExitCode);
        var failed = report.Checks.Where(c => c.Name.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        Assert.Equal(checks.Count, failed.Count);
        Assert.All(failed, c => Assert.True(c.Status == CheckStatus.Fail, $"{c.Name}: {c.Status} {c.Reason}"));
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_Retry_After_and_retried_once()
    {
        var contract = Contracts.Named("AdminByRequest");
        var (upstream, credential) = _mock.Api("AdminByRequest");
        var throttled = 0;
        await using var server = await StubServer.ForwardAsync(upstream, async (context, _) =>
        {
            // The first and the fourth request are throttled once: their retries go through.
            if (Interlocked.Increment(ref throttled) is not (1 or 5))
            {
                return false;
            }

            await TooManyRequestsAsync(context, "1");
            return true;
        });

        var report = await ContractVerifier.RunAsync(contract, server.BaseUri, credential, new VerifyOptions { Pace = TimeSpan.Zero, MaxRequests = 200 });
        _output.WriteLine(report.ToString());
        Assert.True(report.Succeeded, report.ToString());
        var retried = report.Checks.SelectMany(c => c.Requests).Where(r => r.Contains("→ 429, waited 1 s (Retry-After), retried → ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retried.Count);
        Assert.True(report.RequestsSent <= 200);
    }

    [Theory]
    [InlineData("1", "retried → 429")]
    [InlineData("120", "exceeds the bound of 5 s: not retried")]
    public async Task A_429_that_persists_or_asks_too_long_a_wait_fails_the_check_with_its_evidence(string retryAfter, string evidence)
    {
        var contract = Contracts.Named("Banyan");
        var (upstream, credential) = _mock.Api("Banyan");
        await using var server = await StubServer.ForwardAsync(upstream, async (context, query) =>
        {
            if (context.Request.Path != "/events/count")
            {
                return false;
            }

            await TooManyRequestsAsync(context, retryAfter);
            return true;
        });

        var report = await ContractVerifier.RunAsync(contract, server.BaseUri, credential, new VerifyOptions { Pace = TimeSpan.Zero, MaxRetryAfter = TimeSpan.FromSeconds(5) });
        _output.WriteLine(report.ToString());
        Assert.False(report.Succeeded);
        var check = report.Checks.Single(c => c.Name == "EventCount: default request");
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("429", check.Reason, StringComparison.Ordinal);
        Assert.Contains(check.Requests, r => r.Contains(evidence, StringComparison.Ordinal));
        Assert.All(report.Checks.Where(c => !c.Name.StartsWith("EventCount", StringComparison.Ordinal) && c.Status == CheckStatus.Fail), c => Assert.Fail($"{c.Name}: {c.Reason}"));
    }

    private static async Task TooManyRequestsAsync(HttpContext context, string retryAfter)
    {
        context.Response.StatusCode = 429;
        context.Response.Headers["Retry-After"] = retryAfter;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"Message\":\"Too many requests\"}");
    }
}
