using System.Collections.Immutable;
using EventsBindings.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace EventsBindings.Generator.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, System.Text.Encoding.UTF8);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Runs the generator through CSharpGeneratorDriver over in-memory contracts.</summary>
internal static class GeneratorHarness
{
    public static string ContractsDirectory => Path.Combine(AppContext.BaseDirectory, "contracts");

    public static string ContractPath(string file) => Path.Combine(ContractsDirectory, file);

    public static AdditionalText Contract(string file) => new InMemoryAdditionalText("/contracts/" + file, File.ReadAllText(ContractPath(file)));

    public static CSharpCompilation Compilation(params SyntaxTree[] trees) => CSharpCompilation.Create(
        "Consumer",
        trees,
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999)); // every warning wave, as SDK builds report them

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> contracts, bool track = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new ContractsGenerator().AsSourceGenerator() },
            contracts,
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    public static (GeneratorDriverRunResult Result, Compilation Output) Run(IEnumerable<AdditionalText> contracts, params SyntaxTree[] trees)
    {
        var driver = Driver(contracts).RunGeneratorsAndUpdateCompilation(Compilation(trees), out var output, out _);
        return (driver.GetRunResult(), output);
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The trusted platform assemblies of this test process (net10.0) plus the runtime and its dependencies.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return paths.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    /// <summary>
    /// The repository root, found by walking up from the test binaries to EventsBindings.sln.
    /// (CallerFilePath is no help: CI builds map source paths to "/_/" for determinism.)
    /// </summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EventsBindings.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("EventsBindings.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The folder of this test project in the repository, where the baselines are kept.</summary>
    public static string SourceDirectory() => Path.Combine(RepositoryRoot(), "tests", "EventsBindings.Generator.Tests");
}
