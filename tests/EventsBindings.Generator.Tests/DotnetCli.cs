using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Generator.Tests;

/// <summary>
/// Tests that run the dotnet CLI over the repository's projects (pack, publish) share one
/// collection so that they never build the same projects at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DotnetCliCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "dotnet CLI";
}

/// <summary>Runs a process to completion, logs its output to the test and returns it.</summary>
internal static class DotnetCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Environment.NewLine + Stderr;
    }

    /// <summary>Runs and asserts a zero exit code.</summary>
    public static string Run(ITestOutputHelper output, string directory, string file, string arguments, int minutes = 5)
    {
        var result = Start(output, directory, file, arguments, minutes);
        Assert.True(result.ExitCode == 0, $"{file} {arguments} failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }

    /// <summary>Runs and returns the exit code and the output, whatever they are.</summary>
    public static Result Start(ITestOutputHelper output, string directory, string file, string arguments, int minutes = 5)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(minutes)), $"{file} {arguments} did not finish");
        output.WriteLine($"$ {file} {arguments}\n{stdout.Result}\n{stderr.Result}");
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
