using System.CommandLine;
using System.CommandLine.Invocation;

namespace EventsBindings.MockServer.Commands;

/// <summary>
/// The command line: the root command serves the APIs (the main job); subcommands (such as
/// <c>verify</c> and <c>export</c>) are added here, each in its own file of this folder.
/// </summary>
public static class MockCommandLine
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("EventsBindings mock server: serves every contract's API with real filters, paging, auth, errors and faults.");
        ServeCommand.Configure(root);
        KitCommands.Configure(root);
        return root;
    }

    /// <summary>The exit code of bad usage: an unknown option or command, a missing or malformed value.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses and runs a command line, writing to <paramref name="output"/> and <paramref name="error"/>
    /// (default: the console). A command line that does not parse prints why and returns <see cref="UsageError"/>.
    /// </summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var result = Build().Parse(args);
        var configuration = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        if (result.Action is ParseErrorAction)
        {
            foreach (var parseError in result.Errors)
            {
                configuration.Error.WriteLine(parseError.Message);
            }

            configuration.Error.WriteLine("Run with --help for usage.");
            return UsageError;
        }

        return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
