using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using EventsBindings.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace EventsBindings.Bench.Generator;

/// <summary>An AdditionalFile held in memory.</summary>
public sealed class InMemoryText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>
/// The generator through <see cref="CSharpGeneratorDriver"/>: warm time to generate both contracts and a
/// synthetic 200-endpoint contract from scratch (a fresh driver each time, as a clean build does), and
/// how many tracked steps re-run after an unrelated C# edit (an IDE keystroke).
/// </summary>
public static class GeneratorBench
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    public static AdditionalText Contract(string file) =>
        new InMemoryText("/contracts/" + file, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", file)));

    public static CSharpCompilation Compilation(params SyntaxTree[] trees) => CSharpCompilation.Create(
        "Consumer",
        trees,
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> contracts, bool track) =>
        CSharpGeneratorDriver.Create(
            new[] { new ContractsGenerator().AsSourceGenerator() },
            contracts,
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>
    /// A valid contract with <paramref name="endpoints"/> list endpoints: the Admin By Request contract
    /// with its endpoints replaced by copies of a path-parameter list endpoint under distinct names and paths.
    /// </summary>
    public static AdditionalText SyntheticContract(int endpoints)
    {
        var abr = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", "adminbyrequest.events.yaml"));
        var start = abr.IndexOf("\nendpoints:\n", StringComparison.Ordinal);
        var mock = abr.IndexOf("\nmock:\n", StringComparison.Ordinal);
        var sb = new StringBuilder(abr[..start]);
        sb.Replace("name: AdminByRequest\n", "name: Synthetic200\n").Replace("namespace: EventsBindings.AdminByRequest\n", "namespace: EventsBindings.Synthetic200\n");
        sb.Append("\nendpoints:\n");
        for (var i = 0; i < endpoints; i++)
        {
            sb.Append($$"""
                  - name: Items{{i}}
                    summary: List the events of one computer, copy {{i}}.
                    method: GET
                    path: /area{{i}}/computers/{computername}/events
                    parameters:
                      - name: computername
                        csharp: ComputerName
                        type: string
                        in: path
                        description: The computer name.
                        semantics: { kind: equals, field: computerName, caseInsensitive: true }
                        provenance: inferred
                      - startid
                      - take
                      - last
                      - code
                      - days
                      - startdate
                      - enddate
                    response: { kind: list, model: Event }
                    order: { field: id, direction: ascending }
                    pagination:
                      strategy: cursor
                      cursor: { parameter: startid, field: id, next: lastPlusOne }
                      pageSize: take
                      stop: shortPage
                      provenance: inferred

                """);
        }

        sb.Append(abr[(mock + 1)..].Replace("prefix: /adminbyrequest", "prefix: /synthetic200", StringComparison.Ordinal));
        return new InMemoryText("/contracts/synthetic200.events.yaml", sb.ToString());
    }

    /// <summary>Generates from scratch; returns the milliseconds and the generated source count, failing on errors.</summary>
    public static (double Ms, int Sources, int Chars) GenerateOnce(IReadOnlyList<AdditionalText> contracts, CSharpCompilation compilation)
    {
        var stopwatch = Stopwatch.StartNew();
        var driver = Driver(contracts, track: false).RunGenerators(compilation);
        stopwatch.Stop();
        var run = driver.GetRunResult();
        var errors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("generator reported errors: " + string.Join("; ", errors.Take(5)));
        }

        var sources = run.Results.SelectMany(r => r.GeneratedSources).ToList();
        return (stopwatch.Elapsed.TotalMilliseconds, sources.Count, sources.Sum(s => s.SourceText.Length));
    }

    /// <summary>Runs, edits an unrelated C# file, runs again; counts tracked step outputs that re-ran.</summary>
    public static (int Rerun, int Total, double Ms) UnrelatedEdit(IReadOnlyList<AdditionalText> contracts)
    {
        var compilation = Compilation(CSharpSyntaxTree.ParseText("class A { }"));
        var driver = Driver(contracts, track: true).RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), CSharpSyntaxTree.ParseText("class A { int x; }"));
        var stopwatch = Stopwatch.StartNew();
        driver = driver.RunGenerators(edited);
        stopwatch.Stop();
        var result = driver.GetRunResult().Results.Single();
        var outputs = result.TrackedSteps
            .Where(s => s.Key is ContractsGenerator.ContractFilesStep or ContractsGenerator.ParsedContractStep or ContractsGenerator.EmitModelStep)
            .SelectMany(s => s.Value)
            .SelectMany(s => s.Outputs)
            .Concat(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            .ToList();
        var rerun = outputs.Count(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        return (rerun, outputs.Count, stopwatch.Elapsed.TotalMilliseconds);
    }

    public static BenchResult Run(Options options)
    {
        var iterations = options.Quick ? 3 : 30;
        var warmup = options.Quick ? 1 : 10;
        var result = new BenchResult("Generator (CSharpGeneratorDriver)");
        var compilation = Compilation(CSharpSyntaxTree.ParseText("class A { }"));
        var cases = new (string Name, AdditionalText[] Contracts)[]
        {
            ("both contracts", new[] { Contract("adminbyrequest.events.yaml"), Contract("banyan.events.yaml") }),
            ("adminbyrequest", new[] { Contract("adminbyrequest.events.yaml") }),
            ("banyan", new[] { Contract("banyan.events.yaml") }),
            ("synthetic 200 endpoints", new[] { SyntheticContract(200) }),
        };

        foreach (var (name, contracts) in cases)
        {
            var cold = GenerateOnce(contracts, compilation);
            for (var i = 0; i < warmup; i++)
            {
                GenerateOnce(contracts, compilation);
            }

            var times = new List<double>();
            var last = cold;
            for (var i = 0; i < iterations; i++)
            {
                last = GenerateOnce(contracts, compilation);
                times.Add(last.Ms);
            }

            times.Sort();
            var median = times[times.Count / 2];
            var edit = UnrelatedEdit(contracts);
            result.AddRow(
                ("contracts", name),
                ("first run ms", cold.Ms),
                ("warm median ms", median),
                ("warm min ms", times[0]),
                ("sources", last.Sources),
                ("generated KB", last.Chars / 1024.0),
                ("steps re-run after unrelated edit", $"{edit.Rerun} of {edit.Total}"),
                ("re-run ms", edit.Ms));
            var key = name.Replace(' ', '-');
            result.Values[key + ".warmMedianMs"] = median;
            result.Values[key + ".firstMs"] = cold.Ms;
            result.Values[key + ".rerunSteps"] = edit.Rerun;
        }

        result.Notes.Add($"warm = a fresh driver per run after {warmup} warm-up runs in the same process (JIT done), median of {iterations}; first run includes JIT of the generator and YamlDotNet.");
        return result;
    }
}
