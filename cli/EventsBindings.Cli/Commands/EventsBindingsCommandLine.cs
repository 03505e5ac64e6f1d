using System.CommandLine;
using System.CommandLine.Invocation;

namespace EventsBindings.Cli.Commands;

/// <summary>
/// The command line of the <c>eventsbindings</c> tool: <c>serve</c> (the mock server, <see cref="ServeCommand"/>),
/// <c>verify</c> and <c>translate openapi|wiremock|jsonschema</c> (the kit, <see cref="KitCommands"/>);
/// each verb in its own file of this folder.
/// </summary>
public static class EventsBindingsCommandLine
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("EventsBindings: serve the mock server of the contracts, verify a server against a contract, translate the contracts.");
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
