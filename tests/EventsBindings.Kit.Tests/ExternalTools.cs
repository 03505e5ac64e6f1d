using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventsBindings.Kit.Tests;

/// <summary>
/// The third-party tools installed by <c>.ci/install-tools</c> into <c>.tools/</c>. A missing tool fails
/// the test with a message saying how to install it: these tests never skip silently.
/// </summary>
internal static class ExternalTools
{
    private const string Install = "Run .ci/install-tools from the repository root (it installs wiremock 3.13.2 and @stoplight/prism-cli 5.16.0 from the npm registry into .tools/; WireMock also needs Java 17+ on PATH).";

    public static string ToolsDir => Path.Combine(Contracts.RepoRoot, ".tools");

    public static string WireMockJar
    {
        get
        {
            var path = Path.Combine(ToolsDir, "node_modules", "wiremock", "build", "wiremock-standalone-3.13.2.jar");
            if (!File.Exists(path))
            {
                Assert.Fail($"WireMock is not installed ({path} is missing). {Install}");
            }

            return path;
        }
    }

    public static string Prism
    {
        get
        {
            var path = Path.Combine(ToolsDir, "node_modules", ".bin", OperatingSystem.IsWindows() ? "prism.cmd" : "prism");
            if (!File.Exists(path))
            {
                Assert.Fail($"Stoplight Prism is not installed ({path} is missing). {Install}");
            }

            return path;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A tool process started by a test; killed (with its children) when disposed.</summary>
internal sealed class ToolProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ToolProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the tool and waits until <paramref name="readyUrl"/> answers any HTTP status.</summary>
    public static async Task<ToolProcess> StartAsync(string fileName, IEnumerable<string> arguments, Uri readyUrl, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["SCARF_ANALYTICS"] = "false";
        info.Environment["NO_COLOR"] = "1";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Assert.Fail($"Could not start {fileName}: {ex.Message}. Run .ci/install-tools; WireMock needs java (17+) on PATH, Prism needs node.");
            throw;
        }

        var tool = new ToolProcess(process);
        process.OutputDataReceived += (_, e) => tool.Append(e.Data);
        process.ErrorDataReceived += (_, e) => tool.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var output = tool.Output;
                await tool.DisposeAsync();
                Assert.Fail($"{Path.GetFileName(fileName)} exited with {process.ExitCode} before it was ready:\n{output}");
            }

            try
            {
                using var response = await http.GetAsync(readyUrl);
                return tool;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }

        var text = tool.Output;
        await tool.DisposeAsync();
        Assert.Fail($"{Path.GetFileName(fileName)} did not answer on {readyUrl} within {timeout.TotalSeconds} s:\n{text}");
        throw new InvalidOperationException("unreachable");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
