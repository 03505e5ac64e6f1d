using System.Text.Json.Nodes;
using EventsBindings.Kit.Verify;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

/// <summary>A deliberately broken server: verify must report the drift and fail.</summary>
public class VerifyBrokenServerTests
{
    private readonly ITestOutputHelper _output;

    public VerifyBrokenServerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Drift_is_reported_and_a_wrong_type_fails_the_run()
    {
        var contract = Contracts.Named("AdminByRequest");
        var events = JsonNode.Parse(contract.FindEndpoint("Events")!.Examples[0].Body)!.AsArray();
        events[1]!["eventCode"] = 9999;                 // unknown enum value (drift, tolerated)
        events[1]!["riskScore"] = 7;                    // a property the model lacks (drift, tolerated)
        events[2]!["rollback"] = "no";                  // wrong JSON type (a failure)
        var body = events.ToJsonString();

        await using var server = await StubServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            if (!context.Request.Headers.ContainsKey("apikey"))
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("{\"Message\":\"Invalid API key\"}");
                return;
            }

            await context.Response.WriteAsync(context.Request.Path == "/events" ? body : "[]");
        });

        var report = await ContractVerifier.RunAsync(contract, server.BaseUri, "any-key", new VerifyOptions { Pace = TimeSpan.Zero, MaxRequests = 20 });
        _output.WriteLine(report.ToString());

        Assert.False(report.Succeeded);
        var drift = report.Checks.Single(c => c.Name == "Events: drift");
        Assert.Equal(CheckStatus.Fail, drift.Status);
        Assert.Contains("rollback", drift.Reason, StringComparison.Ordinal);
        Assert.Contains("9999", drift.Reason, StringComparison.Ordinal);
        Assert.Contains("riskScore", drift.Reason, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, report.Checks.Single(c => c.Name == "Events: default request").Status);

        using var junit = new MemoryStream();
        report.WriteJUnit(junit);
        junit.Position = 0;
        var xml = System.Xml.Linq.XDocument.Load(junit);
        var suite = xml.Root!.Element("testsuite")!;
        Assert.True(int.Parse((string)suite.Attribute("failures")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.Contains(suite.Elements("testcase"), t => (string?)t.Attribute("name") == "drift" && t.Element("failure") is not null);
    }

    [Fact]
    public async Task Tolerated_drift_warns_and_fails_only_when_asked()
    {
        var contract = Contracts.Named("AdminByRequest");
        var events = JsonNode.Parse(contract.FindEndpoint("Events")!.Examples[0].Body)!.AsArray();
        events[0]!["eventCode"] = 4242;
        var body = events.ToJsonString();

        await using var server = await StubServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Path == "/events" && !context.Request.Query.ContainsKey("take") ? body : "[]");
        });
        var address = server.BaseUri;

        var lenient = await ContractVerifier.RunAsync(contract, address, "k", new VerifyOptions { Pace = TimeSpan.Zero, MaxRequests = 3 });
        _output.WriteLine(lenient.ToString());
        Assert.Equal(CheckStatus.Warn, lenient.Checks.Single(c => c.Name == "Events: drift").Status);

        var strict = await ContractVerifier.RunAsync(contract, address, "k", new VerifyOptions { Pace = TimeSpan.Zero, MaxRequests = 3, FailOnDrift = true });
        Assert.Equal(CheckStatus.Fail, strict.Checks.Single(c => c.Name == "Events: drift").Status);
    }
}
