using System.Diagnostics;
using System.Reflection;

namespace EventsBindings.Reliability.Tests.Support;

/// <summary>
/// A .NET program run as a child process (<c>dotnet exec</c>) whose output is collected line by line, and
/// which can be waited for or killed with everything it started.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string?> Seen)> _waiters = new();

    private ChildProcess(Process process) => _process = process;

    /// <summary>Everything the process wrote (stdout and stderr), in order.</summary>
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

    /// <summary>The exit code (after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="assemblyPath"/> with <paramref name="arguments"/> and extra environment variables (secrets go there, never on the command line, where <c>ps</c> shows them).</summary>
    public static ChildProcess StartDotnet(string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
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
        info.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data is null ? null : "stderr: " + e.Data);
        process.Exited += (_, _) => child.OnExit();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first line (seen so far or later) that <paramref name="match"/> accepts; null when the process exits without one.</summary>
    public Task<string?> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_lines)
        {
            if (_lines.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult<string?>(seen);
            }

            var waiter = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            if (_process.HasExited)
            {
                waiter.TrySetResult(null);
            }

            return waiter.Task;
        }
    }

    /// <summary>Kills the process and everything it started; returns false when it had exited already.</summary>
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

    /// <summary>Waits for the exit (true) or gives up after <paramref name="timeout"/> (false; the process is then killed).</summary>
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
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    private void OnExit()
    {
        lock (_lines)
        {
            foreach (var waiter in _waiters)
            {
                waiter.Seen.TrySetResult(null);
            }

            _waiters.Clear();
        }
    }
}

/// <summary>The export worker (tests/EventsBindings.Reliability.ExportWorker), built beside this test project (a ProjectReference without the assembly).</summary>
public static class ExportWorker
{
    /// <summary>The worker's assembly.</summary>
    public static string AssemblyPath
    {
        get
        {
            var directory = typeof(ExportWorker).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ExportWorkerDirectory").Value!;
            var path = Path.GetFullPath(Path.Combine(directory, "EventsBindings.Reliability.ExportWorker.dll"));
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the export worker is missing.", path);
        }
    }

    /// <summary>Starts an export of <paramref name="api"/> into <paramref name="output"/> (see the worker's usage line).</summary>
    public static ChildProcess Start(string api, Uri baseUrl, string output, string checkpoint, int pageSize, string credential) =>
        ChildProcess.StartDotnet(
            AssemblyPath,
            new[] { api, baseUrl.ToString(), output, checkpoint, pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new Dictionary<string, string> { ["EVENTS_CREDENTIAL"] = credential });

    /// <summary>Completes when the worker has reported <paramref name="pages"/> pages of its run (or finished, or exited).</summary>
    public static Task PageAsync(ChildProcess worker, int pages) =>
        worker.WaitForLineAsync(l => l.StartsWith("done", StringComparison.Ordinal)
            || (l.StartsWith("page ", StringComparison.Ordinal) && int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= pages));
}
