using EventsBindings.MockServer.Hosting;
using EventsBindings.Spec.Model;

namespace EventsBindings.Cli.Tests;

/// <summary>The built <c>eventsbindings</c> tool (cli/EventsBindings.Cli), run as a process.</summary>
internal static class Tool
{
    private static readonly Lazy<string> Assembly = new(() => BuiltProgram.Locate(typeof(Tool).Assembly, "CliDirectory", "EventsBindings.Cli.dll"));

    /// <summary>The tool's assembly, for <see cref="BuiltProgram.StartInfo"/>.</summary>
    public static string Path => Assembly.Value;

    /// <summary>Runs <c>eventsbindings &lt;args&gt;</c> to its end.</summary>
    public static Task<ProgramRun> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        BuiltProgram.RunAsync(Path, args, environment, TimeSpan.FromMinutes(5));

    /// <summary>Runs <c>eventsbindings &lt;args&gt;</c> to its end.</summary>
    public static Task<ProgramRun> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>The contracts the tool embeds (those of the repository).</summary>
    public static IReadOnlyList<ContractSpec> Contracts => TestContracts.Specs;

    /// <summary>A fresh temporary folder.</summary>
    public static string TempDir(string name)
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eb-cli-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>One in-process mock server for the tests of a collection (the shipped fixture, 400 items): a server for <c>verify</c> to check.</summary>
public sealed class CliMockServerFixture : MockServerFixture
{
    public CliMockServerFixture()
        : base(new MockServerOptions { Port = 0, Events = 400, Seed = 7, HotReload = false })
    {
    }

    /// <summary>The API's base URL without the final slash, and a demo credential that may read, of the contract's first scheme.</summary>
    public (Uri BaseUrl, string Credential) Api(string name) =>
        (new Uri(ApiBaseAddress(name).ToString().TrimEnd('/')), Credential(name, TestContracts.Get(name).Security[0]).Value);
}

[CollectionDefinition(Name)]
public sealed class CliMockServerCollection : ICollectionFixture<CliMockServerFixture>
{
    public const string Name = "mock server";
}
