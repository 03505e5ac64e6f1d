using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace EventsBindings.Testing;

/// <summary>What a program run printed and returned.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Everything written to stdout.</param>
/// <param name="Error">Everything written to stderr.</param>
public sealed record ProgramRun(int ExitCode, string Output, string Error);

/// <summary>
/// Runs a program of the repository (the <c>eventsbindings</c> tool, the export sample) from its build
/// output, as a separate process through the <c>dotnet</c> host, exactly as a user runs it. Test projects
/// never reference an executable's assembly: they reference its project for build order only
/// (<c>ReferenceOutputAssembly="false"</c>) and record its output folder in an
/// <see cref="AssemblyMetadataAttribute"/> (see tests/EventsBindings.Cli.Tests/EventsBindings.Cli.Tests.csproj).
/// </summary>
public static class BuiltProgram
{
    /// <summary>
    /// The path of <paramref name="fileName"/> in the folder that the test assembly records under
    /// <paramref name="metadataKey"/>; throws (naming the path) when it was not built.
    /// </summary>
    public static string Locate(Assembly testAssembly, string metadataKey, string fileName)
    {
        ArgumentNullException.ThrowIfNull(testAssembly);
        var directory = testAssembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == metadataKey).Value!;
        var path = Path.GetFullPath(Path.Combine(directory, fileName));
        return File.Exists(path) ? path : throw new FileNotFoundException($"{fileName} is not built (build the solution, or the test project, first).", path);
    }

    /// <summary>The <c>dotnet</c> host running the tests (falls back to <c>dotnet</c> on the PATH).</summary>
    public static string DotnetHost
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
        }
    }

    /// <summary>The start info of <c>dotnet &lt;assembly&gt; &lt;arguments&gt;</c>, stdout and stderr redirected.</summary>
    /// <param name="assembly">The program's assembly (a <c>.dll</c>).</param>
    /// <param name="arguments">Its command line.</param>
    /// <param name="environment">Variables to set (null value: remove) in the child's environment.</param>
    /// <param name="workingDirectory">Its working directory (default: the current one).</param>
    public static ProcessStartInfo StartInfo(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>
    /// Runs <c>dotnet &lt;assembly&gt; &lt;arguments&gt;</c> to its end and returns its exit code and output.
    /// A run that outlasts <paramref name="timeout"/> (default 2 minutes) is killed and fails.
    /// </summary>
    public static async Task<ProgramRun> RunAsync(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        using var process = Process.Start(StartInfo(assembly, arguments, environment, workingDirectory))
            ?? throw new InvalidOperationException("Could not start " + assembly);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(assembly)} {string.Join(' ', arguments)} did not end within {timeout ?? TimeSpan.FromMinutes(2)}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }

        return new ProgramRun(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
