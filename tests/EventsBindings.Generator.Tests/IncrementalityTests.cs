using EventsBindings.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace EventsBindings.Generator.Tests;

/// <summary>
/// Editing a C# file or another contract must re-run nothing for an unchanged contract: the
/// tracked steps come back Cached or Unchanged, and no source output is regenerated.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] Steps = { ContractsGenerator.ContractFilesStep, ContractsGenerator.ParsedContractStep, ContractsGenerator.EmitModelStep };

    [Fact]
    public void Editing_an_unrelated_cs_file_reruns_nothing()
    {
        var contracts = new[] { GeneratorHarness.Contract("adminbyrequest.events.yaml"), GeneratorHarness.Contract("banyan.events.yaml") };
        var compilation = GeneratorHarness.Compilation(CSharpSyntaxTree.ParseText("class A { }"));
        var driver = GeneratorHarness.Driver(contracts).RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), CSharpSyntaxTree.ParseText("class A { int x; }"));
        driver = driver.RunGenerators(edited);

        var result = driver.GetRunResult().Results.Single();
        AssertAllCachedOrUnchanged(result, contractsExpected: 2);
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output {o.Reason}"));
    }

    [Fact]
    public void Editing_another_contract_reruns_nothing_for_this_one()
    {
        var abr = GeneratorHarness.Contract("adminbyrequest.events.yaml");
        var banyan = GeneratorHarness.Contract("banyan.events.yaml");
        var compilation = GeneratorHarness.Compilation(CSharpSyntaxTree.ParseText("class A { }"));
        var driver = GeneratorHarness.Driver(new[] { abr, banyan }).RunGenerators(compilation);

        var editedBanyan = new InMemoryAdditionalText(banyan.Path, banyan.GetText()!.ToString().Replace("title: ", "title: Edited "));
        driver = driver.ReplaceAdditionalText(banyan, editedBanyan).RunGenerators(compilation);

        var result = driver.GetRunResult().Results.Single();
        var parsed = result.TrackedSteps[ContractsGenerator.ParsedContractStep].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, parsed.Count);
        Assert.Equal(1, parsed.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, parsed.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        var emitted = result.TrackedSteps[ContractsGenerator.EmitModelStep].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(1, emitted.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        // The source outputs: the unchanged contract's are neither re-run nor re-emitted; the edited one's is.
        var sourceOutputs = result.TrackedOutputSteps.SelectMany(s => s.Value).ToList();
        Assert.NotEmpty(sourceOutputs);
        var ofAbr = sourceOutputs.Where(step => HintPrefixOfInput(step) == "adminbyrequest.events").ToList();
        var ofBanyan = sourceOutputs.Where(step => HintPrefixOfInput(step) == "banyan.events").ToList();
        Assert.NotEmpty(ofAbr);
        Assert.All(ofAbr.SelectMany(step => step.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"unchanged contract's source output: {o.Reason}"));
        Assert.Contains(ofBanyan.SelectMany(step => step.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(driver.GetRunResult().GeneratedTrees, t => t.FilePath.EndsWith("adminbyrequest.events.Client.g.cs", StringComparison.Ordinal));
    }

    /// <summary>
    /// The contract a source-output step ran for: its input's value is that contract's emit model
    /// (an internal record of the generator, read here by its <c>HintPrefix</c>); null for other inputs.
    /// </summary>
    private static string? HintPrefixOfInput(IncrementalGeneratorRunStep step) =>
        step.Inputs
            .Select(input => input.Source.Outputs[input.OutputIndex].Value)
            .Select(value => value?.GetType().GetProperty("HintPrefix")?.GetValue(value) as string)
            .FirstOrDefault(prefix => prefix is not null);

    [Fact]
    public void Reformatting_a_contract_without_changing_its_meaning_keeps_the_emit_model()
    {
        var abr = GeneratorHarness.Contract("adminbyrequest.events.yaml");
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.Driver(new[] { abr }).RunGenerators(compilation);

        // A comment changes the text (so the file step re-runs) but not the contract.
        var reformatted = new InMemoryAdditionalText(abr.Path, "# a comment that changes nothing\n" + abr.GetText()!.ToString());
        driver = driver.ReplaceAdditionalText(abr, reformatted).RunGenerators(compilation);

        var result = driver.GetRunResult().Results.Single();
        var emitted = result.TrackedSteps[ContractsGenerator.EmitModelStep].SelectMany(s => s.Outputs).Single();
        Assert.True(emitted.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"emit model: {emitted.Reason}");
        var parsed = result.TrackedSteps[ContractsGenerator.ParsedContractStep].SelectMany(s => s.Outputs).Single();
        Assert.Equal(IncrementalStepRunReason.Unchanged, parsed.Reason);
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result, int contractsExpected)
    {
        foreach (var step in Steps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.Equal(contractsExpected, outputs.Count);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
    }
}
