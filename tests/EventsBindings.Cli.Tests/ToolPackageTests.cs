using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace EventsBindings.Cli.Tests;

/// <summary>
/// The command line as users install it: <c>dotnet pack</c> gives a dotnet tool package, <c>dotnet tool
/// install</c> installs it from a local folder (no source URL is written anywhere; the machine's
/// configured NuGet stays as it is), and the installed command <c>eventsbindings</c> answers <c>--help</c>
/// (and <c>serve --help</c>), starts the mock server on a free port and serves <c>/__admin/health</c>.
/// Packs the tool already built for this test run.
/// </summary>
[Trait("Category", "Packaging")]
public sealed partial class ToolPackageTests(ITestOutputHelper output)
{
    private const string Command = "eventsbindings";

    [Fact]
    public async Task The_packed_tool_installs_shows_help_and_serves()
    {
        var work = Directory.CreateTempSubdirectory("eventsbindings-tool-").FullName;
        try
        {
            var feed = Path.Combine(work, "feed");
            var tools = Path.Combine(work, "tools");
            var version = "0.0.0-test." + Guid.NewGuid().ToString("N")[..8];
            var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var project = Path.Combine(RepositoryRoot(), "cli", "EventsBindings.Cli", "EventsBindings.Cli.csproj");

            await DotnetAsync(work, "pack", project, "-c", configuration, "--no-build", "-o", feed,
                "-p:PackageVersion=" + version, "-p:PublishDir=" + Path.Combine(work, "publish") + Path.DirectorySeparatorChar);
            Assert.True(File.Exists(Path.Combine(feed, $"EventsBindings.Cli.{version}.nupkg")));

            // The install reads only the local feed (a config file of the test's own with <clear/>), so that it
            // never waits on a package source the machine has configured and may not reach.
            var config = Path.Combine(work, "nuget.config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            await DotnetAsync(work, "tool", "install", "EventsBindings.Cli", "--version", version, "--tool-path", tools, "--configfile", config);
            var installed = Path.Combine(tools, OperatingSystem.IsWindows() ? Command + ".exe" : Command);
            Assert.True(File.Exists(installed), $"{installed} was not installed.");

            var (exit, help) = await RunAsync(work, installed, "--help");
            Assert.Equal(0, exit);
            foreach (var verb in new[] { "serve", "verify", "translate" })
            {
                Assert.Contains(verb, help, StringComparison.Ordinal);
            }

            (exit, help) = await RunAsync(work, installed, "serve", "--help");
            Assert.Equal(0, exit);
            foreach (var option in new[] { "--port", "--host", "--contracts", "--events", "--seed", "--data", "--credential", "--rate-limit", "--no-reload" })
            {
                Assert.Contains(option, help, StringComparison.Ordinal);
            }

            await ServesHealthAsync(work, installed);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the OS cleans its temp folder.
            }
        }
    }

    /// <summary>Starts the installed command on a free port, reads the address from its banner, GETs the health route, and stops it.</summary>
    private async Task ServesHealthAsync(string work, string installed)
    {
        using var process = Process.Start(Info(work, installed, "serve", "--port", "0", "--events", "20"))!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            Uri? address = null;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            {
                while (address is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    output.WriteLine(line);
                    if (ListeningOn().Match(line) is { Success: true } m)
                    {
                        address = new Uri(m.Groups[1].Value);
                    }
                }
            }

            Assert.True(address is not null, "The tool printed no address: " + (process.HasExited ? await stderr : "(still running)"));
            Assert.NotEqual(0, address.Port);
            using var http = new HttpClient { BaseAddress = address };
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("__admin/health", UriKind.Relative)));
            Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
            Assert.Equal(TestContracts.Specs.Select(c => c.Name).Order(StringComparer.Ordinal),
                health.RootElement.GetProperty("apis").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningOn();

    private async Task DotnetAsync(string work, params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var (exit, text) = await RunAsync(work, string.IsNullOrEmpty(host) || !File.Exists(host) ? "dotnet" : host, arguments);
        Assert.True(exit == 0, $"dotnet {string.Join(' ', arguments)} failed ({exit}):\n{text}");
    }

    private async Task<(int Exit, string Output)> RunAsync(string work, string file, params string[] arguments)
    {
        using var process = Process.Start(Info(work, file, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        output.WriteLine($"$ {Path.GetFileName(file)} {string.Join(' ', arguments)}\n{text}");
        return (process.ExitCode, text);
    }

    private static ProcessStartInfo Info(string work, string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        // The tool package lands in a packages folder of the test's own, never in the user's cache,
        // so that a rebuilt package is never shadowed by an older one.
        info.Environment["NUGET_PACKAGES"] = Path.Combine(work, "packages");
        return info;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "cli", "EventsBindings.Cli", "EventsBindings.Cli.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with cli/) is not above " + AppContext.BaseDirectory);
    }
}
