using EventsBindings.Kit.Verify;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Spec;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

/// <summary>
/// verify checks scim and keywords parameters against a server: over the test contract with a SCIM filter and a
/// keyword search, the mock passes them (values seen in the data select items, every returned item matches, a
/// malformed filter is a 400).
/// </summary>
public sealed class VerifyFilterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Scim_and_keywords_checks_pass_against_the_mock()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "fixtures", "filter", "syslog.events.yaml");
        var dir = Directory.CreateTempSubdirectory("verify-filter-").FullName;
        try
        {
            File.Copy(file, Path.Combine(dir, "syslog.events.yaml"));
            await using var host = new MockServerHost(new MockServerOptions { Port = 0, Events = 200, Seed = 3, ContractsDirectory = dir, HotReload = false });
            await host.StartAsync();
            var contract = ContractReader.ParseFile(file).Contract!;

            var report = await ContractVerifier.RunAsync(contract, host.ApiBaseAddress("SysLog"), "syslog-demo-token", new VerifyOptions { Pace = TimeSpan.Zero });
            output.WriteLine(report.ToString());

            Assert.True(report.Succeeded, report.ToString());
            Assert.Contains(report.Checks, c => c.Name == "Logs: filter filter (scim)" && c.Status == CheckStatus.Pass);
            Assert.Contains(report.Checks, c => c.Name == "Logs: malformed filter (scim)" && c.Status == CheckStatus.Pass);
            Assert.Contains(report.Checks, c => c.Name == "Logs: search q (keywords)" && c.Status == CheckStatus.Pass);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
