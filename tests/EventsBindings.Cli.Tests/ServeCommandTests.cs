using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace EventsBindings.Cli.Tests;

/// <summary>
/// <c>eventsbindings serve</c> (the mock server's command line), run as a process: bad options are usage
/// errors (2), a server that cannot start is a one-line error (1), the documented options start it, the
/// banner shows base URLs, credentials and a curl line, and SIGTERM stops it cleanly (0).
/// </summary>
public sealed partial class ServeCommandTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("--port", "abc")]
    [InlineData("--port", "70000")]
    [InlineData("--host", "not-an-address")]
    [InlineData("--events", "-1")]
    public async Task Invalid_options_are_refused(string option, string value)
    {
        var run = await Tool.RunAsync("serve", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(option, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_command_it_is_a_usage_error_and_help_lists_the_verbs()
    {
        var bare = await Tool.RunAsync();
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("--help", bare.Error, StringComparison.Ordinal);

        var help = await Tool.RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var verb in new[] { "serve", "verify", "translate" })
        {
            Assert.Matches(@"(?m)^\s+" + verb + @"\s", help.Output);
        }

        Assert.DoesNotMatch(@"(?m)^\s+export\s", help.Output);
    }

    [Theory]
    [InlineData("--data", "directory")]
    [InlineData("--data", "missing.json")]
    [InlineData("--contracts", "missing")]
    public async Task An_unreadable_data_file_or_contracts_directory_is_a_one_line_error(string option, string target)
    {
        var dir = Tool.TempDir("serve-unreadable");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "directory"));
            var path = Path.Combine(dir, target);
            var run = await Tool.RunAsync("serve", "--port", "0", "--events", "1", option, path);
            Assert.Equal(1, run.ExitCode);
            var message = run.Error.Trim();
            Assert.StartsWith("The mock server could not start: ", message, StringComparison.Ordinal);
            Assert.Contains(path, message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', message);
            Assert.Empty(run.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_documented_options_start_it_and_SIGTERM_stops_it()
    {
        var (banner, stop) = await ServeAsync("--port", "0", "--host", "127.0.0.1", "--events", "10", "--seed", "4", "--credential", "Banyan:bearer=x", "--rate-limit", "5", "--no-reload");
        Assert.Matches(@"(?m)^\s+bearer\s+x\s", banner);
        var (exit, rest) = await stop();
        Assert.Equal(0, exit);
        Assert.Contains("Stopping.", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_banner_shows_base_urls_credentials_and_a_curl_line_and_the_server_serves()
    {
        var (banner, stop) = await ServeAsync("--port", "0", "--events", "5");
        try
        {
            var address = new Uri(ListeningOn().Match(banner).Groups[1].Value);
            foreach (var contract in Tool.Contracts)
            {
                Assert.Contains(address + contract.Mock!.Prefix.TrimStart('/'), banner, StringComparison.Ordinal);
                foreach (var credential in contract.Mock.Credentials)
                {
                    Assert.Contains(credential.Value, banner, StringComparison.Ordinal);
                }
            }

            Assert.Contains("curl -s -H \"apikey: abr-demo-key\"", banner, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = address };
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("__admin/health", UriKind.Relative)));
            Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
        }
        finally
        {
            await stop();
        }
    }

    /// <summary>Starts <c>eventsbindings serve &lt;args&gt;</c>, reads its banner (up to "Press Ctrl+C"), and returns it with a stop (SIGTERM, then the exit code and the rest of stdout).</summary>
    private async Task<(string Banner, Func<Task<(int Exit, string Remainder)>> Stop)> ServeAsync(params string[] args)
    {
        var process = Process.Start(BuiltProgram.StartInfo(Tool.Path, new[] { "serve" }.Concat(args)))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var banner = new System.Text.StringBuilder();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                banner.AppendLine(line);
                if (line.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        output.WriteLine(banner.ToString());
        Assert.True(ListeningOn().IsMatch(banner.ToString()), "No banner: " + banner + (process.HasExited ? await stderr : string.Empty));

        async Task<(int, string)> Stop()
        {
            try
            {
                if (!process.HasExited)
                {
                    Signal(process.Id);
                }

                var rest = process.StandardOutput.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;
                }

                return (process.ExitCode, await rest);
            }
            finally
            {
                process.Dispose();
            }
        }

        return (banner.ToString(), Stop);
    }

    /// <summary>Sends SIGTERM (as service managers and <c>kill</c> do) through libc, so that no kill binary is needed; on Windows, kills.</summary>
    private static void Signal(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            Process.GetProcessById(pid).Kill();
            return;
        }

        const int SigTerm = 15;
        Assert.True(SendSignal(pid, SigTerm) == 0, $"kill({pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningOn();
}
