using Xunit;

namespace EventsBindings.Generator.Tests;

/// <summary>
/// The emitted source of every contract in contracts/ is checked in under Baselines/ and compared on every run.
/// To accept a change, run the tests with EVENTSBINDINGS_UPDATE_BASELINES=1 and review the diff.
/// </summary>
public sealed class BaselineTests
{
    // Every contract the repository ships: a new contract gets baselines on its first run with the update switch.
    private static readonly string[] ContractFiles = Directory.GetFiles(GeneratorHarness.ContractsDirectory, "*.events.yaml")
        .Select(path => Path.GetFileName(path))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static TheoryData<string> Contracts => new(ContractFiles);

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Generated_source_matches_the_baselines(string file)
    {
        var (result, _) = GeneratorHarness.Run(new[] { GeneratorHarness.Contract(file) });
        Assert.Empty(result.Diagnostics);
        var generated = result.Results.Single().GeneratedSources;
        Assert.NotEmpty(generated);

        var directory = Path.Combine(GeneratorHarness.SourceDirectory(), "Baselines");
        var update = Environment.GetEnvironmentVariable("EVENTSBINDINGS_UPDATE_BASELINES") == "1";
        var failures = new List<string>();
        foreach (var source in generated.Where(s => s.HintName != RegistryBaselineTests.HintName)) // the registry spans contracts: RegistryBaselineTests
        {
            var path = Path.Combine(directory, source.HintName);
            var actual = source.SourceText.ToString();
            if (update)
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(path, actual);
                continue;
            }

            if (!File.Exists(path))
            {
                failures.Add($"{source.HintName}: no baseline (run with EVENTSBINDINGS_UPDATE_BASELINES=1)");
            }
            else if (File.ReadAllText(path) != actual)
            {
                failures.Add($"{source.HintName}: differs from {path} (run with EVENTSBINDINGS_UPDATE_BASELINES=1 and review the diff)");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_baseline_file_is_still_generated()
    {
        // A baseline whose hint name the generator no longer emits is stale: delete it (the update switch only writes).
        var generated = ContractFiles
            .SelectMany(file => GeneratorHarness.Run(new[] { GeneratorHarness.Contract(file) }).Result.Results.Single().GeneratedSources.Select(s => s.HintName))
            .ToHashSet(StringComparer.Ordinal);
        var stale = Directory.GetFiles(Path.Combine(GeneratorHarness.SourceDirectory(), "Baselines"))
            .Select(path => Path.GetFileName(path))
            .Where(name => !generated.Contains(name))
            .ToList();
        Assert.True(stale.Count == 0, "Baselines no longer generated (delete them): " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Output_is_deterministic(string file)
    {
        var first = GeneratorHarness.Run(new[] { GeneratorHarness.Contract(file) }).Result.Results.Single().GeneratedSources;
        var second = GeneratorHarness.Run(new[] { GeneratorHarness.Contract(file) }).Result.Results.Single().GeneratedSources;
        Assert.Equal(first.Select(s => (s.HintName, s.SourceText.ToString())), second.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    [Fact]
    public void Sync_values_become_values_of_the_parameters_types_set_always_defaults_when_unset()
    {
        // ABR's sync defaults a date (the baselines hold it); here an epoch-milliseconds timestamp and an enum too.
        var text = File.ReadAllText(GeneratorHarness.ContractPath("banyan.events.yaml"))
            .Replace("      set: { order: ASC }\n", "      set: { order: ASC, before: 4102444800000 }\n      defaults: { sub_type: Device }\n", StringComparison.Ordinal);
        Assert.Contains("before: 4102444800000", text, StringComparison.Ordinal);
        var (result, output) = GeneratorHarness.Run(new[] { new InMemoryAdditionalText("/c/banyan.events.yaml", text) });
        Assert.Empty(result.Diagnostics);
        var client = result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Client.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("baseQuery.Before = global::System.DateTimeOffset.FromUnixTimeMilliseconds(4102444800000L);", client, StringComparison.Ordinal);
        Assert.Contains("baseQuery.Order = global::EventsBindings.Banyan.SortOrder.Parse(\"ASC\");", client, StringComparison.Ordinal);
        Assert.Contains("baseQuery.SubType ??= global::EventsBindings.Banyan.EventSubType.Parse(\"Device\");", client, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));

        var abr = File.ReadAllText(Path.Combine(GeneratorHarness.SourceDirectory(), "Baselines", "adminbyrequest.events.Client.g.cs"));
        Assert.Contains("baseQuery.StartDate ??= new global::System.DateOnly(2000, 1, 1);", abr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Generated_code_compiles_without_warnings(string file)
    {
        var (_, output) = GeneratorHarness.Run(new[] { GeneratorHarness.Contract(file) });
        var problems = output.GetDiagnostics()
            .Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(30)));
    }
}
