using System.Globalization;
using System.Text;
using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// The export sample (samples/EventsExport) end to end against the mock server, run as a process from
/// its build output as a user runs it: everything the server holds lands in the NDJSON file once; a
/// second run appends nothing; items appended on the server arrive on the next run; bad keys,
/// unreachable servers, wrong options and a server that ignores the paging cursor get their exit codes;
/// each line is the event as the server sent it.
/// </summary>
public sealed class ExportSampleTests : IAsyncLifetime
{
    private readonly MockServerHost _mock = new(new MockServerOptions { Port = 0, Events = 150, Seed = 11, HotReload = false });
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("eventsbindings-export-");

    public async Task InitializeAsync() => await _mock.StartAsync();

    public async Task DisposeAsync()
    {
        await _mock.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    /// <summary>
    /// Every contract with a sync: its <c>--api</c> key, its name and a demo credential of its mock that may
    /// read, under a scheme its synced endpoint accepts directly (no exchange). No per-API code: a new
    /// contract is exported here as soon as it is in contracts/.
    /// </summary>
    public static TheoryData<string, string, string> Exportable()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var contract in Cases.Contracts)
        {
            var synced = contract.Endpoints.FirstOrDefault(e => e.Sync is not null);
            if (synced is null)
            {
                continue;
            }

            var accepted = synced.Security; // the top-level list unless the endpoint sets its own
            var credential = contract.Mock!.Credentials.First(c =>
                c.Access == Spec.Model.CredentialAccess.Read
                && accepted.Contains(c.Scheme)
                && contract.FindScheme(c.Scheme)!.Kind != Spec.Model.AuthKind.RefreshToken);
            data.Add(contract.Name.ToLowerInvariant(), contract.Name, credential.Value);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Exportable))]
    public async Task Runs_resume_from_the_checkpoint_and_deliver_each_event_once(string api, string apiName, string credential)
    {
        var output = Path.Combine(_dir.FullName, api + ".ndjson");
        var checkpoint = Path.Combine(_dir.FullName, api + ".checkpoint");
        string[] Args(string key) => new[] { "--api", api, "--base-url", _mock.ApiBaseAddress(apiName).ToString(), "--credential", key, "--out", output, "--checkpoint", checkpoint, "--page-size", "40", "--quiet" };

        var (code, _, errors) = await RunAsync(Args(credential));
        Assert.True(code == ExitCodes.Ok, errors);
        var first = Ids(output, apiName);
        Assert.NotEmpty(first);
        Assert.Equal(first.Count, first.Distinct().Count());

        (code, _, errors) = await RunAsync(Args(credential));
        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Equal(first, Ids(output, apiName));

        _mock.AppendItems(apiName, 7);
        (code, _, errors) = await RunAsync(Args(credential));
        Assert.True(code == ExitCodes.Ok, errors);
        var third = Ids(output, apiName);
        Assert.Equal(first.Count + 7, third.Count);
        Assert.Equal(third.Count, third.Distinct().Count());
        Assert.Equal(first, third.Take(first.Count));
    }

    [Fact]
    public async Task A_refused_key_and_an_unreachable_server_get_their_exit_codes_and_no_secret_is_printed()
    {
        var output = Path.Combine(_dir.FullName, "refused.ndjson");
        var checkpoint = Path.Combine(_dir.FullName, "refused.checkpoint");
        const string Secret = "definitely-not-the-key-123";
        var (code, stdout, stderr) = await RunAsync(new[] { "--api", "adminbyrequest", "--base-url", _mock.ApiBaseAddress("AdminByRequest").ToString(), "--credential", Secret, "--out", output, "--checkpoint", checkpoint, "--quiet" });
        Assert.Equal(ExitCodes.Credential, code);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = await RunAsync(new[] { "--api", "banyan", "--base-url", "http://127.0.0.1:1/api/v1", "--credential", Secret, "--out", output, "--checkpoint", checkpoint + "2", "--quiet" });
        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("adminbyrequest", "AdminByRequest")]
    [InlineData("banyan", "Banyan")]
    public async Task A_page_size_beyond_the_contracts_maximum_is_a_usage_error_naming_the_option(string api, string apiName)
    {
        var events = TestContracts.Get(apiName).FindEndpoint("Events")!;
        var size = events.FindParameter(events.Pagination!.PageSizeParameter!)!;

        var (code, _, stderr) = await RunAsync(Args(api, apiName, "--page-size", Text(size.Maximum!.Value + 1)));

        AssertUsageError(code, stderr, "--page-size");
        Assert.Contains($"'{size.WireName}' must be between {size.Minimum} and {size.Maximum}.", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("adminbyrequest", "AdminByRequest", "--refresh-token", "--refresh-token")]
    [InlineData("adminbyrequest", "AdminByRequest", "--auth-scheme|nope", "--auth-scheme")]
    [InlineData("banyan", "Banyan", "--auth-scheme|refresh", "--auth-scheme")]
    [InlineData("banyan", "Banyan", "--auth-scheme|bearer|--refresh-token", "--refresh-token")]
    [InlineData("banyan", "Banyan", "--page-size|0", "--page-size")]
    public async Task Options_that_do_not_fit_the_api_are_usage_errors_naming_the_option(string api, string apiName, string extra, string option)
    {
        var (code, _, stderr) = await RunAsync(Args(api, apiName, extra.Split('|')));

        AssertUsageError(code, stderr, option);
    }

    [Fact]
    public async Task A_server_that_ignores_the_cursor_is_reported_as_not_matching_the_contract()
    {
        // A server that always answers the first page, whatever the cursor asks for.
        var firstPage = await GetAsync("AdminByRequest", "events?take=5");
        await using var server = await LoopbackServer.StartAsync((c, _) => c.Response.WriteAsync(firstPage), basePath: "/abr");
        var output = Path.Combine(_dir.FullName, "ignored.ndjson");

        var (code, _, stderr) = await RunAsync(new[] { "--api", "adminbyrequest", "--base-url", server.BaseUri.ToString(), "--credential", "abr-demo-key", "--out", output, "--checkpoint", output + ".checkpoint", "--page-size", "5", "--quiet" });

        Assert.Equal(ExitCodes.BadResponse, code);
        Assert.StartsWith("error: The server ignores the paging cursor", stderr, StringComparison.Ordinal);
        Assert.Equal(5, Ids(output, "AdminByRequest").Distinct().Count());
        Assert.Equal(5, Ids(output, "AdminByRequest").Count);
    }

    [Fact]
    public async Task Each_line_is_the_event_as_the_server_sent_it()
    {
        // The mock's events re-served with unusual but valid formatting: indented (line breaks inside an
        // event), every non-ASCII character and '+' escaped as \uXXXX. The sample pages by id with take.
        using var all = JsonDocument.Parse(await GetAsync("AdminByRequest", "events?take=10000"));
        var odd = all.RootElement.EnumerateArray()
            .Select(e => (Id: e.GetProperty("id").GetInt64(), Json: JsonSerializer.Serialize(e, new JsonSerializerOptions { WriteIndented = true })))
            .ToList();
        Assert.Contains(odd, e => e.Json.Contains("\\u", StringComparison.Ordinal));
        await using var server = await LoopbackServer.StartAsync((c, _) =>
        {
            var start = long.Parse(c.Request.Query["startid"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
            var take = int.Parse(c.Request.Query["take"].FirstOrDefault() ?? "50", CultureInfo.InvariantCulture);
            c.Response.ContentType = "application/json";
            return c.Response.WriteAsync("[ " + string.Join(" ,\n", odd.Where(e => e.Id >= start).Take(take).Select(e => e.Json)) + " ]");
        }, basePath: "/abr");
        var output = Path.Combine(_dir.FullName, "raw.ndjson");
        string[] args = { "--api", "adminbyrequest", "--base-url", server.BaseUri.ToString(), "--credential", "abr-demo-key", "--out", output, "--checkpoint", output + ".checkpoint", "--page-size", "40", "--quiet" };

        var (code, _, stderr) = await RunAsync(args);
        Assert.True(code == ExitCodes.Ok, stderr);
        (code, _, stderr) = await RunAsync(args);
        Assert.True(code == ExitCodes.Ok, stderr);

        // Line breaks between tokens become spaces (one event per line); every other byte is the server's.
        var expected = string.Concat(odd.Select(e => e.Json.Replace('\n', ' ').Replace('\r', ' ') + "\n"));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), await File.ReadAllBytesAsync(output));
    }

    private string[] Args(string api, string apiName, params string[] extra)
    {
        var output = Path.Combine(_dir.FullName, api + "-usage.ndjson");
        return new[] { "--api", api, "--base-url", _mock.ApiBaseAddress(apiName).ToString(), "--credential", "not-used", "--out", output, "--checkpoint", output + ".checkpoint", "--quiet" }.Concat(extra).ToArray();
    }

    /// <summary>A usage error: exit code 2, one error line naming the option (then the --help hint), no stack trace, nothing written.</summary>
    private void AssertUsageError(int code, string stderr, string option)
    {
        Assert.True(code == ExitCodes.Usage, stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: " + option, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.Empty(_dir.GetFiles("*-usage.ndjson*"));
    }

    private async Task<string> GetAsync(string apiName, string pathAndQuery)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_mock.ApiBaseAddress(apiName), pathAndQuery));
        request.Headers.Add("apikey", "abr-demo-key");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_api_choices_are_the_contracts_that_declare_a_sync()
    {
        // Issue 14, bug 7: the choices were hard-coded; they are the names of the contracts the clients were generated from.
        var expected = Cases.Contracts.Where(c => c.Endpoints.Any(e => e.Sync is not null)).Select(c => c.Name.ToLowerInvariant()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var (code, stdout, _) = await RunAsync(new[] { "--help" });
        Assert.Equal(ExitCodes.Ok, code);
        var line = stdout.Split('\n').First(l => l.TrimStart().StartsWith("EventsExport --api ", StringComparison.Ordinal));
        var choices = line.Trim()["EventsExport --api ".Length..].Split(' ')[0].Split('|').OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, choices);

        var (wrong, _, stderr) = await RunAsync(new[] { "--api", "nosuchapi", "--base-url", "http://127.0.0.1:1", "--credential", "x", "--out", "o", "--checkpoint", "c" });
        Assert.Equal(ExitCodes.Usage, wrong);
        Assert.All(expected, name => Assert.Contains(name, stderr, StringComparison.Ordinal));
    }

    /// <summary>The sample's exit codes (samples/EventsExport/README.md).</summary>
    private static class ExitCodes
    {
        public const int Ok = 0;
        public const int Usage = 2;
        public const int Credential = 3;
        public const int Unreachable = 4;
        public const int BadResponse = 6;
    }

    private static readonly Lazy<string> Sample = new(() => BuiltProgram.Locate(typeof(ExportSampleTests).Assembly, "ExportSampleDirectory", "EventsExport.dll"));

    /// <summary>Runs the built sample (<c>dotnet EventsExport.dll &lt;args&gt;</c>), without a credential in its environment.</summary>
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var run = await BuiltProgram.RunAsync(Sample.Value, args, new Dictionary<string, string?> { ["EVENTS_CREDENTIAL"] = null }, TimeSpan.FromMinutes(3));
        return (run.ExitCode, run.Output, run.Error);
    }

    /// <summary>The ids of the exported events, read from the field the contract's sync deduplicates by (or its mock's id).</summary>
    private static List<string> Ids(string ndjson, string apiName)
    {
        var contract = TestContracts.Get(apiName);
        var idField = contract.Endpoints.Select(e => e.Sync?.DedupBy).FirstOrDefault(f => f is not null) ?? contract.Mock!.Id!.Field;
        return File.ReadLines(ndjson)
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty(idField).ToString())
            .ToList();
    }
}
