using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace EventsBindings.Bench.Load;

/// <summary>
/// The real Java WireMock standalone server, from the npm package <c>wiremock@3.13.2</c> that
/// <c>.ci/install-tools</c> puts under <c>.tools/</c>; started with <c>java -jar</c> on the jar the package ships.
/// </summary>
public sealed class WireMockServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _root;

    private WireMockServer(Process process, Uri baseAddress, string root)
    {
        _process = process;
        BaseAddress = baseAddress;
        _root = root;
    }

    public Uri BaseAddress { get; }

    /// <summary>The jar, looked for in .tools/ of the repository above the current or base directory.</summary>
    public static string? FindJar()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var build = Path.Combine(dir.FullName, ".tools", "node_modules", "wiremock", "build");
                if (Directory.Exists(build) && Directory.GetFiles(build, "wiremock-standalone-*.jar").FirstOrDefault() is { } jar)
                {
                    return jar;
                }
            }
        }

        return null;
    }

    public static async Task<WireMockServer> StartAsync(string jar)
    {
        var port = FreePort();
        var root = Directory.CreateTempSubdirectory("eb-bench-wiremock-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "mappings"));
        Directory.CreateDirectory(Path.Combine(root, "__files"));
        var psi = new ProcessStartInfo("java") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-jar", jar, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--root-dir", root, "--disable-banner", "--max-request-journal-entries", "100" })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start java");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new WireMockServer(process, new Uri($"http://127.0.0.1:{port}/"), root);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var r = await http.GetAsync("__admin/mappings").ConfigureAwait(false);
                if (r.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException("WireMock did not start");
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces all stubs with one static stub: GET on a path with a header, answering a fixed JSON body.</summary>
    public async Task StubAsync(string urlPath, string headerName, string headerValue, byte[] body)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        (await http.DeleteAsync("__admin/mappings").ConfigureAwait(false)).EnsureSuccessStatusCode();
        var mapping = new
        {
            request = new { method = "GET", urlPath, headers = new Dictionary<string, object> { [headerName] = new { equalTo = headerValue } } },
            response = new { status = 200, headers = new Dictionary<string, string> { ["Content-Type"] = "application/json; charset=utf-8" }, body = Encoding.UTF8.GetString(body) },
        };
        using var content = new StringContent(JsonSerializer.Serialize(mapping), Encoding.UTF8, "application/json");
        (await http.PostAsync("__admin/mappings", content).ConfigureAwait(false)).EnsureSuccessStatusCode();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
