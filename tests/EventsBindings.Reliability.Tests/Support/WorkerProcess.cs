using System.Diagnostics;
using System.Reflection;

namespace EventsBindings.Reliability.Tests.Support;

/// <summary>The export worker (tests/EventsBindings.Reliability.ExportWorker) as a child process that can be killed.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly TaskCompletionSource _firstPage = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    /// <summary>The worker's assembly, built beside this test project (a ProjectReference without the assembly).</summary>
    public static string WorkerPath
    {
        get
        {
            var directory = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ExportWorkerDirectory").Value!;
            var path = Path.GetFullPath(Path.Combine(directory, "EventsBindings.Reliability.ExportWorker.dll"));
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the export worker is missing.", path);
        }
    }

    /// <summary>Everything the worker wrote (stdout and stderr), in order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>Completes when the worker reported its first page (or exited).</summary>
    public Task FirstPage => _firstPage.Task;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the worker.</summary>
    public static WorkerProcess Start(string api, Uri baseUrl, string output, string checkpoint, int pageSize, string credential)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var info = new ProcessStartInfo(string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet) ? "dotnet" : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(WorkerPath);
        info.ArgumentList.Add(api);
        info.ArgumentList.Add(baseUrl.ToString());
        info.ArgumentList.Add(output);
        info.ArgumentList.Add(checkpoint);
        info.ArgumentList.Add(pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.Environment["EVENTS_CREDENTIAL"] = credential;
        info.Environment["DOTNET_TieredCompilation"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data is null ? null : "stderr: " + e.Data);
        process.Exited += (_, _) => worker._firstPage.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Kills the worker and everything it started; returns false when it had exited already.</summary>
    public async Task<bool> KillAsync()
    {
        if (_process.HasExited)
        {
            return false;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return true;
    }

    /// <summary>Waits for the exit (true) or gives up after <paramref name="timeout"/> (false; the worker is then killed).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit(); // flushes the redirected streams
            return true;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.StartsWith("page ", StringComparison.Ordinal) || line.StartsWith("done", StringComparison.Ordinal))
        {
            _firstPage.TrySetResult();
        }
    }
}
