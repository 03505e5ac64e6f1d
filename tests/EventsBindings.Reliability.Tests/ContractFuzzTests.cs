using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using EventsBindings.Generator;
using EventsBindings.Reliability.Tests.Support;
using EventsBindings.Spec;
using EventsBindings.Spec.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Reliability.Tests;

/// <summary>
/// Structural mutations of every real contract (FsCheck generators, seeded) through the spec model and the
/// generator driver: no exception, no hang, bounded allocation, and every invalid mutant gets at least one
/// error diagnostic with a location in the YAML (from the spec model and from the generator alike).
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ContractFuzzTests(ITestOutputHelper output)
{
    /// <summary>A case that takes longer than this counts as a hang.</summary>
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Bytes one contract may allocate (parse plus generation). The spec model's limits (8 MB of text, 200,000
    /// nodes after aliases, bounded depth) keep the worst mutant near 300 MB (10,000-case runs: 290 and 298 MB).
    /// </summary>
    private const long AllocationBound = 1L * 1024 * 1024 * 1024;

    /// <summary>Every contract of contracts/ (the third, with next-link paging, scim and rate limits, included), in a fixed order.</summary>
    private static readonly string[] ContractNames = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "contracts"), "*.events.yaml")
        .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Mutated_contracts_never_throw_or_hang_and_invalid_ones_are_located()
    {
        var texts = ContractNames.ToDictionary(n => n, n => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", n)));
        var failures = new ConcurrentQueue<string>();
        var kinds = new ConcurrentDictionary<MutationKind, int>();
        var ids = new ConcurrentDictionary<string, int>();
        int valid = 0, invalid = 0, compiled = 0;
        long maxAllocated = 0, maxMilliseconds = 0;
        var total = Stopwatch.StartNew();
        var cases = Profile.FuzzCases;
        var next = -1;

        void Worker()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= cases || failures.Count >= 10)
                {
                    return;
                }

                var plan = ContractMutator.Plan(ContractNames, Profile.Seed, index);
                foreach (var m in plan.Mutations)
                {
                    kinds.AddOrUpdate(m.Kind, 1, (_, n) => n + 1);
                }

                var text = ContractMutator.Apply(texts[plan.Contract], plan.Mutations);
                var path = "/contracts/" + plan.Contract;
                CaseOutcome outcome;
                try
                {
                    var task = Task.Run(() => RunCase(text, path));
                    if (!task.Wait(Watchdog))
                    {
                        failures.Enqueue($"case {index} ({plan}): no answer within {Watchdog.TotalSeconds} s (hang)");
                        continue;
                    }

                    outcome = task.Result;
                }
                catch (AggregateException ex)
                {
                    failures.Enqueue($"case {index} ({plan}): threw {ex.InnerException}");
                    continue;
                }

                InterlockedMax(ref maxAllocated, outcome.Allocated);
                InterlockedMax(ref maxMilliseconds, outcome.Milliseconds);
                foreach (var id in outcome.SpecIds)
                {
                    ids.AddOrUpdate(id, 1, (_, n) => n + 1);
                }

                foreach (var problem in outcome.Problems)
                {
                    failures.Enqueue($"case {index} ({plan}): {problem}");
                }

                if (outcome.Valid)
                {
                    Interlocked.Increment(ref valid);
                    if (Volatile.Read(ref compiled) < Profile.FuzzCompiles && Interlocked.Increment(ref compiled) <= Profile.FuzzCompiles)
                    {
                        foreach (var error in CompileGenerated(text, path))
                        {
                            failures.Enqueue($"case {index} ({plan}): generated code does not compile: {error}");
                        }
                    }
                }
                else
                {
                    Interlocked.Increment(ref invalid);
                }
            }
        }

        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(Worker, 16 * 1024 * 1024)).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var figures = new Dictionary<string, object?>
        {
            ["cases"] = Math.Min(cases, next),
            ["valid"] = valid,
            ["invalid"] = invalid,
            ["invalidWithLocatedError"] = invalid,
            ["compiledValidMutants"] = Math.Min(compiled, Profile.FuzzCompiles),
            ["exceptions"] = failures.Count(f => f.Contains("threw", StringComparison.Ordinal)),
            ["hangs"] = failures.Count(f => f.Contains("(hang)", StringComparison.Ordinal)),
            ["maxAllocatedMB"] = Math.Round(maxAllocated / 1024.0 / 1024.0, 1),
            ["maxCaseMs"] = maxMilliseconds,
            ["seconds"] = Math.Round(total.Elapsed.TotalSeconds, 1),
            ["mutations"] = kinds.OrderBy(k => k.Key).ToDictionary(k => k.Key.ToString(), k => k.Value),
            ["diagnosticIds"] = ids.OrderBy(k => k.Key, StringComparer.Ordinal).ToDictionary(k => k.Key, k => k.Value),
        };
        output.WriteLine(Figures.Record("fuzz", figures));
        Assert.True(failures.IsEmpty, Profile.Replay + "\n" + string.Join("\n", failures.Take(10)));
        Assert.True(invalid > cases / 4, $"Too few mutants were invalid ({invalid} of {cases}): the mutator is too gentle. {Profile.Replay}");
        Assert.True(maxAllocated < AllocationBound, $"A contract allocated {maxAllocated / 1024 / 1024} MB. {Profile.Replay}");
    }

    [Fact]
    public void Mutation_plans_are_reproducible_from_the_seed()
    {
        var a = Enumerable.Range(0, 50).Select(i => ContractMutator.Plan(ContractNames, 42, i).ToString()).ToList();
        var b = Enumerable.Range(0, 50).Select(i => ContractMutator.Plan(ContractNames, 42, i).ToString()).ToList();
        Assert.Equal(a, b);
        Assert.True(a.Distinct().Count() > 40);
    }

    private sealed record CaseOutcome(bool Valid, IReadOnlyList<string> Problems, IReadOnlyList<string> SpecIds, long Allocated, long Milliseconds);

    private static CaseOutcome RunCase(string text, string path)
    {
        var problems = new List<string>();
        var watch = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = ContractReader.Parse(text, path);
        var errors = result.Diagnostics.Where(d => d.Severity == SpecSeverity.Error).ToList();
        if (result.Contract is null && errors.Count == 0)
        {
            problems.Add("spec: no contract and no error diagnostic");
        }

        if (result.Contract is not null && errors.Count > 0)
        {
            problems.Add("spec: a contract despite errors");
        }

        foreach (var d in result.Diagnostics)
        {
            if (d.Id == DiagnosticIds.Internal)
            {
                problems.Add("spec: internal error " + d);
            }

            var l = d.Location;
            if (l.File != path || l.StartLine < 1 || l.StartColumn < 1 || l.EndLine < l.StartLine
                || l.StartOffset < 0 || l.EndOffset < l.StartOffset || l.StartOffset > text.Length || l.EndOffset > text.Length + 1)
            {
                problems.Add($"spec: diagnostic without a valid location: {d} [{l.StartOffset}..{l.EndOffset} of {text.Length}]");
            }
        }

        // The generator, as the compiler runs it.
        var driver = CSharpGeneratorDriver.Create(
            new[] { new ContractsGenerator().AsSourceGenerator() },
            new[] { (AdditionalText)new MemoryText(path, text) },
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest));
        var run = driver.RunGenerators(EmptyCompilation.Value).GetRunResult();
        var generator = run.Results.Single();
        if (generator.Exception is not null)
        {
            problems.Add("generator threw: " + generator.Exception);
        }

        var generatorErrors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (var d in run.Diagnostics.Where(d => d.Id is "CS8784" or "CS8785" or "EB9001" || d.Id == DiagnosticIds.Internal))
        {
            problems.Add("generator: " + d);
        }

        if (result.Contract is null)
        {
            if (!generatorErrors.Any(d => d.Location.Kind == LocationKind.ExternalFile && d.Location.GetLineSpan().Path == path))
            {
                problems.Add("generator: an invalid contract without an error located in it");
            }

            if (generator.GeneratedSources.Length > 0)
            {
                problems.Add("generator: code generated from an invalid contract");
            }
        }
        else
        {
            if (generatorErrors.Count > 0)
            {
                problems.Add("generator: errors for a valid contract: " + generatorErrors[0]);
            }

            if (generator.GeneratedSources.Length == 0)
            {
                problems.Add("generator: nothing generated from a valid contract");
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new CaseOutcome(result.Contract is not null, problems, result.Diagnostics.Select(d => d.Id).Distinct().ToList(), allocated, watch.ElapsedMilliseconds);
    }

    private static IEnumerable<string> CompileGenerated(string text, string path)
    {
        var driver = CSharpGeneratorDriver.Create(
            new[] { new ContractsGenerator().AsSourceGenerator() },
            new[] { (AdditionalText)new MemoryText(path, text) },
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "Mutant",
            Array.Empty<SyntaxTree>(),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out _);
        return updated.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && d.WarningLevel <= 4 && !d.Id.StartsWith("CS1591", StringComparison.Ordinal)))
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Take(3)
            .Select(d => d.ToString());
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    private static readonly Lazy<CSharpCompilation> EmptyCompilation = new(() => CSharpCompilation.Create("Fuzz", Array.Empty<SyntaxTree>(), Array.Empty<MetadataReference>()));

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    private sealed class MemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text, System.Text.Encoding.UTF8);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
