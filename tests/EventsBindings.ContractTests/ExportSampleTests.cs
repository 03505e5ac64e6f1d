using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using EventsExport;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// The export sample (samples/EventsExport) end to end against the mock server: everything the
/// server holds lands in the NDJSON file once; a second run appends nothing; items appended on the
/// server arrive on the next run; bad keys and unreachable servers get their exit codes.
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

    [Theory]
    [InlineData("adminbyrequest", "AdminByRequest", "abr-demo-key")]
    [InlineData("banyan", "Banyan", "banyan-demo-token")]
    public async Task Runs_resume_from_the_checkpoint_and_deliver_each_event_once(string api, string apiName, string credential)
    {
        var output = Path.Combine(_dir.FullName, api + ".ndjson");
        var checkpoint = Path.Combine(_dir.FullName, api + ".checkpoint");
        string[] Args(string key) => new[] { "--api", api, "--base-url", _mock.ApiBaseAddress(apiName).ToString(), "--credential", key, "--out", output, "--checkpoint", checkpoint, "--page-size", "40", "--quiet" };

        var (code, _, errors) = await RunAsync(Args(credential));
        Assert.True(code == ExitCodes.Ok, errors);
        var first = Ids(output);
        Assert.NotEmpty(first);
        Assert.Equal(first.Count, first.Distinct().Count());

        (code, _, errors) = await RunAsync(Args(credential));
        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Equal(first, Ids(output));

        _mock.AppendItems(apiName, 7);
        (code, _, errors) = await RunAsync(Args(credential));
        Assert.True(code == ExitCodes.Ok, errors);
        var third = Ids(output);
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

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var code = await ExportCommand.RunAsync(args, stdout, stderr, timeout.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static List<string> Ids(string ndjson) => File.ReadLines(ndjson)
        .Where(line => line.Length > 0)
        .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").ToString())
        .ToList();
}
