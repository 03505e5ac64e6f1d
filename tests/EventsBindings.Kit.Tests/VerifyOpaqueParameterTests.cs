using EventsBindings.Kit.Verify;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Spec;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

/// <summary>
/// Issue 14, bug 5: <c>verify</c> says "not executed" for a parameter whose semantics the contract declares
/// opaque (there is nothing to check it against), on a copy of the Okta contract with such a parameter,
/// against the mock serving that copy; the contract's other checks still pass.
/// </summary>
public sealed class VerifyOpaqueParameterTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kit-opaque-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Verify_reports_an_opaque_parameter_as_not_executed_and_fails_nothing_because_of_it()
    {
        var text = File.ReadAllText(Path.Combine(Contracts.RepoRoot, "contracts", "okta.events.yaml")).Replace("\r\n", "\n", StringComparison.Ordinal);
        text = Insert(text, "\nparameters:\n", "  debugMode: { type: string, semantics: { kind: opaque }, description: A parameter the mock cannot execute. }\n");
        text = Insert(text, "    parameters: [", "debugMode, ");
        var path = Path.Combine(_dir, "okta.events.yaml");
        File.WriteAllText(path, text);
        var parsed = ContractReader.ParseFile(path);
        Assert.DoesNotContain(parsed.Diagnostics, d => d.Severity == Spec.Diagnostics.SpecSeverity.Error);
        var contract = parsed.Contract!;

        var mock = new EventsBindings.MockServer.Xunit.MockServerFixture(new MockServerOptions { Port = 0, Events = 120, Seed = 5, ContractsDirectory = _dir });
        await mock.InitializeAsync();
        try
        {
            var report = await ContractVerifier.RunAsync(contract, mock.ApiBaseAddress("Okta"), mock.Credential("Okta").Value, new VerifyOptions { Pace = TimeSpan.Zero, MaxRequests = 400 });
            output.WriteLine(report.ToString());

            var opaque = report.Checks.Single(c => c.Name == "Logs: debugMode");
            Assert.Equal(CheckStatus.Skip, opaque.Status);
            Assert.Contains("not executed", opaque.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(report.Checks, c => c.Status == CheckStatus.Fail);
        }
        finally
        {
            await mock.DisposeAsync();
        }
    }

    private static string Insert(string text, string marker, string insertion)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker.Trim()}' not found");
        at += marker.Length;
        return text[..at] + insertion + text[at..];
    }
}
