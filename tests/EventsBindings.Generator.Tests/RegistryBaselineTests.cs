using EventsBindings.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace EventsBindings.Generator.Tests;

/// <summary>
/// The compilation's registry of exportable contracts (<c>EventsContracts.g.cs</c>) spans every contract, so its
/// baseline is the output over all of <c>contracts/</c> together, kept under <c>Baselines/Registry/</c>
/// (EVENTSBINDINGS_UPDATE_BASELINES=1 rewrites it, like the per-contract baselines).
/// </summary>
public sealed class RegistryBaselineTests
{
    /// <summary>The registry's hint name.</summary>
    public const string HintName = "EventsContracts.g.cs";

    private static AdditionalText[] AllContracts() =>
        Directory.GetFiles(GeneratorHarness.ContractsDirectory, "*.events.yaml").Order(StringComparer.Ordinal).Select(path => GeneratorHarness.Contract(Path.GetFileName(path))).ToArray();

    [Fact]
    public void The_registry_over_every_contract_matches_its_baseline_and_compiles()
    {
        var (result, output) = GeneratorHarness.Run(AllContracts());
        Assert.Empty(result.Diagnostics);
        var registry = Assert.Single(result.Results.Single().GeneratedSources, s => s.HintName == HintName);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));

        var path = Path.Combine(GeneratorHarness.SourceDirectory(), "Baselines", "Registry", HintName);
        var actual = registry.SourceText.ToString();
        if (Environment.GetEnvironmentVariable("EVENTSBINDINGS_UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path}: no baseline (run with EVENTSBINDINGS_UPDATE_BASELINES=1)");
        Assert.True(File.ReadAllText(path) == actual, $"{HintName} differs from {path} (run with EVENTSBINDINGS_UPDATE_BASELINES=1 and review the diff)");
    }

    [Fact]
    public void The_registry_lists_every_contract_with_a_sync_in_name_order_and_nothing_when_none_exports()
    {
        var (result, _) = GeneratorHarness.Run(AllContracts());
        var text = result.Results.Single().GeneratedSources.Single(s => s.HintName == HintName).SourceText.ToString();
        var names = System.Text.RegularExpressions.Regex.Matches(text, @"new global::EventsBindings\.Runtime\.Export\.ExportableApi\(\s*global::[\w.]+\.(\w+)Client\.Api").Select(m => m.Groups[1].Value).ToList();
        var expected = Directory.GetFiles(GeneratorHarness.ContractsDirectory, "*.events.yaml")
            .Select(f => Spec.ContractReader.ParseFile(f).Contract!)
            .Where(c => c.Endpoints.Any(e => e.Sync is not null && !e.Path.Contains('{', StringComparison.Ordinal)))
            .Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, names);

        // No contract with an export: no registry (an empty one would hide a referenced project's).
        var none = GeneratorHarness.Run(Array.Empty<AdditionalText>());
        Assert.DoesNotContain(none.Result.Results.Single().GeneratedSources, s => s.HintName == HintName);
    }

    [Fact]
    public void The_registry_step_is_cached_when_a_cs_file_changes()
    {
        var compilation = GeneratorHarness.Compilation(CSharpSyntaxTree.ParseText("class A { }"));
        var driver = GeneratorHarness.Driver(AllContracts()).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), CSharpSyntaxTree.ParseText("class A { int x; }")));

        var step = driver.GetRunResult().Results.Single().TrackedSteps[ContractsGenerator.RegistryStep].SelectMany(s => s.Outputs).Single();
        Assert.True(step.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"registry: {step.Reason}");
    }
}
