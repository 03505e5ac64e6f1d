using EventsBindings.Spec.Tests;
using Microsoft.CodeAnalysis;
using Xunit;

namespace EventsBindings.Generator.Tests;

/// <summary>A broken contract becomes compiler diagnostics located in the YAML; never a crash, never half a client.</summary>
public sealed class DiagnosticsTests
{
    private static string Abr => File.ReadAllText(GeneratorHarness.ContractPath("adminbyrequest.events.yaml"));

    private static string BrokenDirectory => Path.Combine(AppContext.BaseDirectory, "BrokenContracts");

    private static int LineOf(string text, string needle) => text.Substring(0, text.IndexOf(needle, StringComparison.Ordinal)).Count(c => c == '\n') + 1;

    public static TheoryData<string> BrokenContracts()
    {
        var data = new TheoryData<string>();
        foreach (var file in BrokenContractCatalogue.CaseFiles(BrokenDirectory))
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void The_catalogue_is_copied_beside_the_tests()
    {
        Assert.True(BrokenContractCatalogue.CaseFiles(BrokenDirectory).Count >= 30);
    }

    [Theory]
    [MemberData(nameof(BrokenContracts))]
    public void Every_broken_contract_of_the_catalogue_is_a_located_compiler_diagnostic(string file)
    {
        var text = File.ReadAllText(Path.Combine(BrokenDirectory, file));
        var expected = BrokenContractCatalogue.Expectation(text);
        Assert.True(expected is not null, $"{file} has no '# expect: EB1xxx at <line>:<column> (<what>)' header");

        // The generator picks up *.events.yaml; the path is what the diagnostics must point into.
        var path = "/contracts/" + Path.GetFileNameWithoutExtension(file) + ".events.yaml";
        var (result, _) = GeneratorHarness.Run(new[] { new InMemoryAdditionalText(path, text) });
        var run = result.Results.Single();

        Assert.Null(run.Exception);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8784" or "CS8785");
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id.StartsWith("EB", StringComparison.Ordinal));
        Assert.Equal(expected.Id, diagnostic.Id);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.Equal((expected.Line, expected.Column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        if (diagnostic.Severity == DiagnosticSeverity.Error)
        {
            Assert.Empty(run.GeneratedSources);
        }
        else
        {
            // A warning leaves the contract usable: the whole client is generated.
            Assert.Contains(run.GeneratedSources, s => s.HintName.EndsWith(".Client.g.cs", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Unknown_key_is_reported_at_its_line_and_nothing_is_generated()
    {
        var text = Abr.Replace("    semantics: { kind: pageSize }", "    semantix: { kind: pageSize }");
        var (result, _) = GeneratorHarness.Run(new[] { new InMemoryAdditionalText("/c/abr.events.yaml", text) });

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "EB1002");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/c/abr.events.yaml", span.Path);
        Assert.Equal(LineOf(text, "semantix"), span.StartLinePosition.Line + 1);
        Assert.Contains("did you mean 'semantics'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(result.Results.Single().GeneratedSources);
        Assert.Null(result.Results.Single().Exception);
    }

    [Fact]
    public void Dangling_type_reference_is_an_error_with_a_location()
    {
        var text = Abr.Replace("        type: Application\n", "        type: Aplication\n");
        var (result, _) = GeneratorHarness.Run(new[] { new InMemoryAdditionalText("/c/abr.events.yaml", text) });
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "EB1006");
        Assert.Equal(LineOf(text, "type: Aplication"), diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1, 2")]
    [InlineData("just a string")]
    [InlineData("a: &a [*a, *a]\n")]
    [InlineData("format: 1\nname: X\n\t- bad")]
    public void Garbage_never_crashes_the_generator(string text)
    {
        var (result, _) = GeneratorHarness.Run(new[] { new InMemoryAdditionalText("/c/x.events.yaml", text) });
        Assert.Null(result.Results.Single().Exception);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.StartsWith("EB1", d.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void A_broken_contract_does_not_stop_a_valid_one()
    {
        var (result, _) = GeneratorHarness.Run(new[]
        {
            new InMemoryAdditionalText("/c/broken.events.yaml", "format: 2\n"),
            GeneratorHarness.Contract("adminbyrequest.events.yaml"),
        });
        Assert.Contains(result.Diagnostics, d => d.Id == "EB1018");
        Assert.Contains(result.Results.Single().GeneratedSources, s => s.HintName.StartsWith("adminbyrequest.events.", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Results.Single().GeneratedSources, s => s.HintName.StartsWith("broken", StringComparison.Ordinal));
    }

    [Fact]
    public void Files_that_are_not_contracts_are_ignored()
    {
        var (result, _) = GeneratorHarness.Run(new[] { new InMemoryAdditionalText("/c/settings.yaml", "not: a contract") });
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Results.Single().GeneratedSources);
    }
}
