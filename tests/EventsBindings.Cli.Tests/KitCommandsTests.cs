using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using EventsBindings.Kit.Translation;
using Xunit.Abstractions;

namespace EventsBindings.Cli.Tests;

/// <summary>
/// <c>verify</c> and <c>translate</c> through the built tool (<c>eventsbindings</c>, run as a process):
/// exit codes 0 (passed), 1 (a check failed) and 2 (bad usage), the options, the console table and the JUnit file.
/// </summary>
[Collection(CliMockServerCollection.Name)]
public class KitCommandsTests
{
    private readonly CliMockServerFixture _mock;
    private readonly ITestOutputHelper _output;

    public KitCommandsTests(CliMockServerFixture mock, ITestOutputHelper output)
    {
        _mock = mock;
        _output = output;
    }

    private Task<ProgramRun> RunAsync(params string[] args) => RunAsync(null, args);

    private async Task<ProgramRun> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var run = await Tool.RunAsync(environment, args);
        _output.WriteLine($"$ eventsbindings {string.Join(" ", args)} → {run.ExitCode}\n{run.Output}\n{run.Error}");
        return run;
    }

    [Fact]
    public async Task Verify_mock_passes_prints_the_table_and_writes_JUnit_XML_with_a_testcase_per_check()
    {
        var junit = Path.Combine(Tool.TempDir("cli-junit"), "out", "contract-tests.xml");
        var run = await RunAsync("verify", "--mock", "--junit", junit);

        Assert.Equal(0, run.ExitCode);
        foreach (var contract in Tool.Contracts)
        {
            Assert.Contains(contract.Name, run.Output, StringComparison.Ordinal);
        }

        Assert.Matches(@"(?m)^\s*pass\s+Events: default request\s+GET /events", run.Output);
        Assert.Matches(@"\d+ passed, 0 warned, 0 failed, \d+ skipped; \d+ requests", run.Output);
        Assert.Contains("JUnit XML: " + junit, run.Output, StringComparison.Ordinal);

        var xml = XDocument.Load(junit);
        Assert.Equal("testsuites", xml.Root!.Name.LocalName);
        var suites = xml.Root.Elements("testsuite").ToList();
        Assert.Equal(Tool.Contracts.Count, suites.Count);
        foreach (var suite in suites)
        {
            var cases = suite.Elements("testcase").ToList();
            Assert.True(cases.Count >= 10);
            Assert.Equal(int.Parse((string)suite.Attribute("tests")!, CultureInfo.InvariantCulture), cases.Count);
            Assert.Equal("0", (string?)suite.Attribute("failures"));
            Assert.All(cases, c => Assert.False(string.IsNullOrEmpty((string?)c.Attribute("name"))));
            Assert.DoesNotContain(cases, c => c.Element("failure") is not null);
        }
    }

    [Fact]
    public async Task Verify_reads_the_credential_from_the_named_environment_variable_and_never_prints_it()
    {
        var (baseUrl, credential) = _mock.Api("AdminByRequest");
        var variable = "EB_CLI_TEST_" + Guid.NewGuid().ToString("N");
        var run = await RunAsync(new Dictionary<string, string?> { [variable] = credential }, "verify", "--contract", "adminbyrequest", "--base-url", baseUrl.ToString(), "--credential-env", variable, "--pace-ms", "0");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("pass", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(credential, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_exits_with_1_when_a_check_fails_and_says_which_in_the_table_and_the_JUnit_file()
    {
        var (baseUrl, _) = _mock.Api("Banyan");
        var junit = Path.Combine(Tool.TempDir("cli-junit-fail"), "banyan.xml");
        var run = await RunAsync("verify", "--contract", "Banyan", "--base-url", baseUrl.ToString(), "--credential", "not-the-token", "--pace-ms", "0", "--junit", junit);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"(?m)^\s*FAIL\s+Events: default request", run.Output);
        Assert.DoesNotContain("not-the-token", run.Output + run.Error + File.ReadAllText(junit), StringComparison.Ordinal);
        var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
        Assert.True(int.Parse((string)suite.Attribute("failures")!, CultureInfo.InvariantCulture) > 0);
        Assert.Contains(suite.Elements("testcase"), c => c.Element("failure") is { } f && ((string?)f.Attribute("message") ?? string.Empty).Contains("401", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("verify --contract AdminByRequest --credential k", "--base-url")]
    [InlineData("verify --contract AdminByRequest --base-url ftp://example.com --credential k", "--base-url")]
    [InlineData("verify --base-url http://127.0.0.1:9 --credential k", "--contract")]
    [InlineData("verify --contract NoSuchApi --mock", "NoSuchApi")]
    [InlineData("verify --contract AdminByRequest --base-url http://127.0.0.1:9 --credential-env EB_CLI_TEST_UNSET_VARIABLE", "credential")]
    [InlineData("verify --mock --max-requests 0", "--max-requests")]
    [InlineData("verify --mock --max-requests many", "many")]
    [InlineData("verify --mock --no-such-option", "--no-such-option")]
    [InlineData("translate openapi", "--out")]
    [InlineData("translate openapi --out {dir} --mock-url not-a-url", "not-a-url")]
    [InlineData("translate wiremock --out {dir} --contract NoSuchApi", "NoSuchApi")]
    [InlineData("translate wiremock --out {dir} --mock-prefix", "--mock-prefix needs --per-contract")]
    [InlineData("translate wiremock --out {dir} --path-prefix /api", "--path-prefix needs --per-contract")]
    [InlineData("translate wiremock --out {dir} --contract banyan --path-prefix /api", "--path-prefix needs --per-contract")]
    [InlineData("translate wiremock --out {dir} --per-contract --mock-prefix --path-prefix /api", "--mock-prefix and --path-prefix")]
    [InlineData("translate yaml --out {dir}", "yaml")]
    [InlineData("translate jsonschema --out {dir} --contracts {missing}", "No such directory")]
    public async Task A_bad_argument_exits_with_2_and_a_message_naming_it(string commandLine, string named)
    {
        var dir = Tool.TempDir("cli-bad");
        var args = commandLine.Replace("{dir}", dir, StringComparison.Ordinal).Replace("{missing}", Path.Combine(dir, "missing"), StringComparison.Ordinal).Split(' ');
        var run = await RunAsync(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_broken_contract_exits_with_2_and_its_located_diagnostics()
    {
        var dir = Tool.TempDir("cli-broken");
        var file = Path.Combine(dir, "broken.events.yaml");
        File.WriteAllText(file, "name: Broken\nendpoints: 42\n");
        var run = await RunAsync("translate", "jsonschema", "--out", Path.Combine(dir, "out"), "--contracts", dir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("broken.events.yaml", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"EB1\d{3}", run.Error);
    }

    [Fact]
    public async Task Translate_writes_every_format_and_lists_the_files()
    {
        var dir = Tool.TempDir("cli-translate");

        var openapi = await RunAsync("translate", "openapi", "--out", Path.Combine(dir, "openapi"), "--mock-url", "http://127.0.0.1:5080");
        Assert.Equal(0, openapi.ExitCode);
        foreach (var contract in Tool.Contracts)
        {
            var path = Path.Combine(dir, "openapi", contract.Name.ToLowerInvariant() + ".openapi.json");
            Assert.Contains(path, openapi.Output, StringComparison.Ordinal);
            var servers = JsonNode.Parse(File.ReadAllText(path))!["servers"]!.AsArray();
            Assert.Contains(servers, s => (string?)s!["url"] == "http://127.0.0.1:5080" + contract.Mock!.Prefix);
        }

        var wiremock = await RunAsync("translate", "wiremock", "--out", Path.Combine(dir, "wiremock"));
        Assert.Equal(0, wiremock.ExitCode);
        var mappings = Directory.GetFiles(Path.Combine(dir, "wiremock", "mappings"), "*.json");
        Assert.Equal(Tool.Contracts.Sum(c => WireMockTranslator.Mappings(c).Count), mappings.Length);
        Assert.All(Tool.Contracts, c => Assert.Contains(mappings, m => Path.GetFileName(m).StartsWith(c.Name.ToLowerInvariant() + "-", StringComparison.Ordinal)));
        Assert.Contains($"{mappings.Length} files written.", wiremock.Error, StringComparison.Ordinal);

        var perContract = await RunAsync("translate", "wiremock", "--out", Path.Combine(dir, "wiremock-split"), "--per-contract", "--contract", "banyan");
        Assert.Equal(0, perContract.ExitCode);
        Assert.True(Directory.Exists(Path.Combine(dir, "wiremock-split", "banyan", "mappings")));
        Assert.False(Directory.Exists(Path.Combine(dir, "wiremock-split", "adminbyrequest")));

        var ownPrefix = await RunAsync("translate", "wiremock", "--out", Path.Combine(dir, "wiremock-api"), "--per-contract", "--path-prefix", "/api");
        Assert.Equal(0, ownPrefix.ExitCode);
        foreach (var contract in Tool.Contracts)
        {
            var stubs = Directory.GetFiles(Path.Combine(dir, "wiremock-api", contract.Name.ToLowerInvariant(), "mappings"), "*.json");
            Assert.NotEmpty(stubs);
            foreach (var stub in stubs)
            {
                var request = JsonNode.Parse(File.ReadAllText(stub))!["request"]!;
                Assert.StartsWith("/api/", ((string?)(request["urlPath"] ?? request["urlPathPattern"]))?.TrimStart('^'), StringComparison.Ordinal);
            }
        }

        var schemas = await RunAsync("translate", "jsonschema", "--out", Path.Combine(dir, "jsonschema"));
        Assert.Equal(0, schemas.ExitCode);
        foreach (var contract in Tool.Contracts)
        {
            Assert.Equal(contract.Models.Count + contract.Endpoints.Count, Directory.GetFiles(Path.Combine(dir, "jsonschema", contract.Name), "*.schema.json").Length);
        }
    }
}
