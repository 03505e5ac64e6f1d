using System.Reflection;
using EventsBindings.Spec.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// The catalogue in <c>BrokenContracts/</c>: each file breaks one rule of a small valid contract
/// (<c>_base.yaml.txt</c>) and says on its first line which diagnostic it must give, and where:
/// <c># expect: EB1002 at 12:5 (what is broken)</c>. Each must give exactly that diagnostic, there.
/// </summary>
public sealed class BrokenContractTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in CaseFiles())
        {
            data.Add(file);
        }

        return data;
    }

    private static List<string> CaseFiles() => BrokenContractCatalogue.CaseFiles(TestFiles.BrokenDirectory);

    private static BrokenContractExpectation? Expectation(string file) =>
        BrokenContractCatalogue.Expectation(File.ReadAllText(Path.Combine(TestFiles.BrokenDirectory, file)));

    [Fact]
    public void The_base_of_the_catalogue_is_valid()
    {
        var result = ContractReader.ParseFile(Path.Combine(TestFiles.BrokenDirectory, "_base.yaml.txt"));
        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Contract);
    }

    [Fact]
    public void The_catalogue_holds_at_least_30_cases()
    {
        Assert.True(CaseFiles().Count >= 30, $"only {CaseFiles().Count} cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Broken_contract_gives_exactly_the_expected_diagnostic(string file)
    {
        var path = Path.Combine(TestFiles.BrokenDirectory, file);
        var text = File.ReadAllText(path);
        var expected = BrokenContractCatalogue.Expectation(text);
        Assert.True(expected is not null, $"{file} must start with '# expect: EB1xxx at <line>:<column> (<what>)'");

        var result = ContractReader.Parse(text, file);
        foreach (var d in result.Diagnostics)
        {
            output.WriteLine(d.ToString());
        }

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(expected.Id, diagnostic.Id);
        Assert.Equal((expected.Line, expected.Column), (diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal(file, diagnostic.Location.File);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
        if (diagnostic.Severity == SpecSeverity.Error)
        {
            Assert.Null(result.Contract);
        }
        else
        {
            Assert.NotNull(result.Contract);
        }
    }

    [Fact]
    public void Every_documented_diagnostic_id_has_a_case()
    {
        var covered = CaseFiles()
            .Select(file => Expectation(file)?.Id ?? string.Empty)
            .ToHashSet(StringComparer.Ordinal);
        var ids = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(id => id != DiagnosticIds.Internal)
            .ToList();
        Assert.True(ids.Count >= 23);
        Assert.All(ids, id => Assert.Contains(id, covered));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Offsets_agree_with_lines_and_columns(string file)
    {
        // The generator builds Roslyn locations from the offsets: they must point where line and column do.
        var text = File.ReadAllText(Path.Combine(TestFiles.BrokenDirectory, file));
        foreach (var d in ContractReader.Parse(text, file).Diagnostics)
        {
            var lineStart = 0;
            for (var line = 1; line < d.Location.StartLine; line++)
            {
                lineStart = text.IndexOf('\n', lineStart) + 1;
            }

            Assert.Equal(Math.Min(text.Length, lineStart + d.Location.StartColumn - 1), d.Location.StartOffset);
            Assert.True(d.Location.EndOffset >= d.Location.StartOffset && d.Location.EndOffset <= text.Length);
        }
    }

    [Fact]
    public void Unknown_keys_come_with_a_did_you_mean()
    {
        var text = File.ReadAllText(Path.Combine(TestFiles.BrokenDirectory, "unknown-key-top.yaml"));
        var diagnostic = Assert.Single(ContractReader.Parse(text, "x.yaml").Diagnostics);
        Assert.Contains("did you mean 'title'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_id_table_of_the_format_reference_matches_the_ids()
    {
        // contracts/README.md documents every id; keep the constants and the table in step.
        var readme = Path.Combine(AppContext.BaseDirectory, "contracts", "README.md");
        Assert.True(File.Exists(readme), $"{readme} is missing: the test project copies contracts/README.md beside the tests");
        var text = File.ReadAllText(readme);
        foreach (var field in typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            Assert.Contains("| " + (string)field.GetRawConstantValue()! + " |", text, StringComparison.Ordinal);
        }
    }
}
