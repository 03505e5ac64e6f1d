using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EventsBindings.MockServer.Hosting;

namespace EventsBindings.Bench.EndToEnd;

/// <summary>What a server child process reports once it listens.</summary>
public sealed record ServeInfo(string Url, double StartupMs, double WorkingSetMb, double ManagedMb, int Items);

/// <summary>
/// <c>serve --events N [--api name]</c>: the mock server with a dataset of N items for one API
/// (contracts copied to a temporary directory so that only that API builds a dataset), reporting
/// its startup time and memory on one line, then serving until stdin closes.
/// </summary>
public static class ServeCommand
{
    public const string ReadyPrefix = "READY ";

    public static async Task<int> RunAsync(Options options)
    {
        var api = options.Variant ?? "adminbyrequest";
        await using var server = await StartAsync(api, (int)(options.Events ?? 1_000_000), options.Host).ConfigureAwait(false);
        Console.WriteLine(ReadyPrefix + JsonSerializer.Serialize(server.Info));
        Console.Out.Flush();
        // Serve until the parent closes our stdin.
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is not null)
        {
        }

        return 0;
    }

    /// <summary>Starts a mock server in this process: on Kestrel (<see cref="MockServerHost"/>), or on WireMock.Net through the adapter (<paramref name="host"/> <c>wiremock-net</c>).</summary>
    public static async Task<RunningServer> StartAsync(string api, int events, string? host = null)
    {
        var dir = Directory.CreateTempSubdirectory("eb-bench-contracts-").FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "contracts", api + ".events.yaml"), Path.Combine(dir, api + ".events.yaml"));
        var options = new MockServerOptions { Port = 0, Events = events, Seed = 1, ContractsDirectory = dir, HotReload = false, JournalCapacity = 100 };
        var stopwatch = Stopwatch.StartNew();
        MockApiInfo apiInfo;
        IAsyncDisposable handle;
        if (string.Equals(host, "wiremock-net", StringComparison.OrdinalIgnoreCase))
        {
            // WireMock.Net as a user runs it, admin API on; its request log capped like the mock's journal, and
            // without the answers' bodies (the callback's bodies would otherwise be kept per request).
            var engine = new MockServerEngine(options);
            using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var server = global::WireMock.Server.WireMockServer.Start(new global::WireMock.Settings.WireMockServerSettings
            {
                Urls = new[] { "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) },
                StartAdminInterface = true,
                MaxRequestLogCount = 100,
                DoNotSaveDynamicResponseInLogEntry = true,
            });
            var contracts = global::EventsBindings.MockServer.WireMock.WireMockServerContractExtensions.AddContracts(server, engine);
            apiInfo = engine.Apis(new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "/")).Single();
            handle = new WireMockNetHandle(server, contracts, engine);
        }
        else
        {
            var kestrel = new MockServerHost(options);
            await kestrel.StartAsync().ConfigureAwait(false);
            apiInfo = kestrel.Apis.Single();
            handle = kestrel;
        }

        stopwatch.Stop();
        GC.Collect();
        var info = new ServeInfo(
            apiInfo.BaseAddress.ToString(),
            stopwatch.Elapsed.TotalMilliseconds,
            Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0),
            GC.GetTotalMemory(false) / (1024.0 * 1024.0),
            apiInfo.Items);
        return new RunningServer(handle, info, dir);
    }

    private sealed class WireMockNetHandle(global::WireMock.Server.WireMockServer server, IDisposable contracts, MockServerEngine engine) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            contracts.Dispose();
            server.Stop();
            server.Dispose();
            engine.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A mock server running in this process (on Kestrel or WireMock.Net).</summary>
public sealed class RunningServer(IAsyncDisposable host, ServeInfo info, string dir) : IAsyncDisposable
{
    public ServeInfo Info { get; } = info;

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A child process of this benchmark executable (server or client), ended by closing its stdin.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();

    private ChildProcess(Process process) => _process = process;

    public static ChildProcess Start(params string[] args)
    {
        // The executable hosting the benchmarks (EventsBindings.Bench.dll), not this library.
        var self = (System.Reflection.Assembly.GetEntryAssembly() ?? typeof(ChildProcess).Assembly).Location;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(self);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var child = new ChildProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start " + self));
        child._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (child._lines)
                {
                    child._lines.Add(e.Data);
                }
            }
        };
        child._process.BeginErrorReadLine();
        return child;
    }

    public int Id => _process.Id;

    /// <summary>Reads stdout until a line with the prefix; returns the rest of it.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(cts.Token).ConfigureAwait(false);
            if (line is null)
            {
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                string err;
                lock (_lines)
                {
                    err = string.Join(Environment.NewLine, _lines.TakeLast(30));
                }

                throw new InvalidOperationException($"child exited ({_process.ExitCode.ToString(CultureInfo.InvariantCulture)}) before '{prefix.Trim()}': {err}");
            }

            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }
}

/// <summary>Starts the mock server in a child process (or in this one with --in-process).</summary>
public static class MockLauncher
{
    public static async Task<(ServeInfo Info, IAsyncDisposable Handle)> LaunchAsync(Options options, string api, long events, string? host = null)
    {
        if (options.InProcess)
        {
            var server = await ServeCommand.StartAsync(api, (int)events, host).ConfigureAwait(false);
            return (server.Info, server);
        }

        var child = ChildProcess.Start("serve", "--events", events.ToString(CultureInfo.InvariantCulture), "--variant", api, "--host", host ?? "kestrel");
        try
        {
            var info = JsonSerializer.Deserialize<ServeInfo>(await child.WaitForLineAsync(ServeCommand.ReadyPrefix, TimeSpan.FromMinutes(20)).ConfigureAwait(false))!;
            return (info, child);
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
