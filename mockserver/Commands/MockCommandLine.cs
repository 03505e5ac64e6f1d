using System.CommandLine;

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
}
