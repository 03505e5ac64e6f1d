using System.Collections.Immutable;
using EventsBindings.Generator.Emitter;
using EventsBindings.Generator.Model;
using EventsBindings.Generator.Parser;
using EventsBindings.Spec;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EventsBindings.Generator;

/// <summary>
/// Compiles each contract (an AdditionalFile marked <c>EventsBindingsContract=true</c>, or any
/// <c>*.events.yaml</c>) into a typed client. One pipeline per file: editing a .cs file or
/// another contract re-runs nothing for this one. Contract problems become compiler diagnostics
/// located in the YAML; an unexpected failure becomes EB9001, never a crashed generator.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ContractsGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the step that selects contract files.</summary>
    public const string ContractFilesStep = "ContractFiles";

    /// <summary>Tracking name of the step that parses a contract.</summary>
    public const string ParsedContractStep = "ParsedContract";

    /// <summary>Tracking name of the step that builds the emit model.</summary>
    public const string EmitModelStep = "EmitModel";

    /// <summary>Tracking name of the step that gathers every contract's registry entry into the compilation's registry.</summary>
    public const string RegistryStep = "Registry";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => IsContract(pair.Left, pair.Right))
            .Select(static (pair, cancellationToken) => ReadFile(pair.Left, cancellationToken))
            .WithTrackingName(ContractFilesStep);

        var parsed = files
            .Select(static (file, _) => Parse(file))
            .WithTrackingName(ParsedContractStep);

        context.RegisterSourceOutput(parsed.Select(static (p, _) => p.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToRoslyn());
            }
        });

        var models = parsed
            .Select(static (p, _) => p.Emit)
            .WithTrackingName(EmitModelStep);

        context.RegisterSourceOutput(models, static (spc, emit) =>
        {
            if (emit is null)
            {
                return;
            }

            try
            {
                // Generate everything first, so that a failure leaves no half-generated client.
                var generated = ContractEmitter.Emit(emit).ToList();
                foreach (var file in generated)
                {
                    spc.AddSource(file.HintName, SourceText.From(file.Text, System.Text.Encoding.UTF8));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                spc.ReportDiagnostic(Diagnostic.Create(GeneratorDiagnostics.InternalError, Location.None, emit.HintPrefix, ex.GetType().Name + ": " + ex.Message));
            }
        });

        // One registry per compilation spans every contract: each contract's entry is computed on its own
        // (cached with its emit model), then the entries are collected; an edit that leaves every entry equal
        // (a description, a field) leaves the registry's output cached.
        var rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var ns) ? ns : null);
        var registry = models
            .Select(static (emit, _) => RegistryBuilder.Entry(emit))
            .Collect()
            .Combine(rootNamespace)
            .Select(static (pair, _) => RegistryBuilder.Build(pair.Left, pair.Right))
            .WithTrackingName(RegistryStep);

        context.RegisterSourceOutput(registry, static (spc, emit) =>
        {
            if (emit.Entries.Count == 0)
            {
                // No contract with an export (or none at all): no registry, so that a project referencing the
                // generator without contracts does not get an empty one that hides a referenced project's.
                return;
            }

            try
            {
                var file = ContractEmitter.EmitRegistry(emit);
                spc.AddSource(file.HintName, SourceText.From(file.Text, System.Text.Encoding.UTF8));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                spc.ReportDiagnostic(Diagnostic.Create(GeneratorDiagnostics.InternalError, Location.None, ContractEmitter.RegistryHintName, ex.GetType().Name + ": " + ex.Message));
            }
        });
    }

    private static bool IsContract(AdditionalText text, Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider options)
    {
        if (options.GetOptions(text).TryGetValue("build_metadata.AdditionalFiles.EventsBindingsContract", out var flag) && !string.IsNullOrEmpty(flag))
        {
            return string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);
        }

        return text.Path.EndsWith(".events.yaml", StringComparison.OrdinalIgnoreCase) || text.Path.EndsWith(".events.yml", StringComparison.OrdinalIgnoreCase);
    }

    private static ContractFile ReadFile(AdditionalText text, CancellationToken cancellationToken) =>
        new(text.Path, text.GetText(cancellationToken)?.ToString());

    private static ParsedContract Parse(ContractFile file)
    {
        if (file.Text is null)
        {
            var unreadable = new LocatedDiagnostic(GeneratorDiagnostics.Unreadable.Id, DiagnosticSeverity.Error, $"The contract '{file.Path}' could not be read.", file.Path, 0, 0, 0, 0, 0, 0);
            return new ParsedContract(EquatableArray.ToEquatableArray(new[] { unreadable }), null);
        }

        try
        {
            var result = ContractReader.Parse(file.Text, file.Path);
            var diagnostics = result.Diagnostics.Select(LocatedDiagnostic.From).ToEquatableArray();
            var emit = result.Contract is { } contract ? EmitModelBuilder.Build(contract, HintPrefix(file.Path)) : null;
            return new ParsedContract(diagnostics, emit);
        }
        catch (EmitModelException ex)
        {
            // What the spec accepts must compile: an endpoint the emit model cannot hold is a located error, not degraded C#.
            var at = ContractLocator.Endpoint(file.Text, file.Path, ex.Endpoint, ex.Key);
            var notEmittable = at is null
                ? new LocatedDiagnostic(GeneratorDiagnostics.NotEmittable.Id, DiagnosticSeverity.Error, ex.Message, file.Path, 0, 0, 0, 0, 0, 0)
                : new LocatedDiagnostic(GeneratorDiagnostics.NotEmittable.Id, DiagnosticSeverity.Error, ex.Message, at.File, at.StartOffset, at.EndOffset, at.StartLine - 1, at.StartColumn - 1, at.EndLine - 1, at.EndColumn - 1);
            return new ParsedContract(EquatableArray.ToEquatableArray(new[] { notEmittable }), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var internalError = new LocatedDiagnostic(GeneratorDiagnostics.InternalError.Id, DiagnosticSeverity.Error, string.Format(System.Globalization.CultureInfo.InvariantCulture, GeneratorDiagnostics.InternalError.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), file.Path, ex.GetType().Name + ": " + ex.Message), file.Path, 0, 0, 0, 0, 0, 0);
            return new ParsedContract(EquatableArray.ToEquatableArray(new[] { internalError }), null);
        }
    }

    /// <summary>Hint names come from the file name: <c>adminbyrequest.events.yaml</c> → <c>adminbyrequest.events</c>.</summary>
    private static string HintPrefix(string path)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray();
        return chars.Length == 0 ? "contract" : new string(chars);
    }
}

/// <summary>A contract file's path and text.</summary>
internal sealed record ContractFile(string Path, string? Text);

/// <summary>What parsing one contract produced: diagnostics and, when valid, the emit model.</summary>
internal sealed record ParsedContract(EquatableArray<LocatedDiagnostic> Diagnostics, ContractEmit? Emit);

/// <summary>A diagnostic with its location as plain values, so that pipeline steps stay value-equal.</summary>
internal sealed record LocatedDiagnostic(string Id, DiagnosticSeverity Severity, string Message, string File, int StartOffset, int EndOffset, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static LocatedDiagnostic From(SpecDiagnostic d) => new(
        d.Id,
        d.Severity == SpecSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        d.Message,
        d.Location.File,
        d.Location.StartOffset,
        d.Location.EndOffset,
        d.Location.StartLine - 1,
        d.Location.StartColumn - 1,
        d.Location.EndLine - 1,
        d.Location.EndColumn - 1);

    public Diagnostic ToRoslyn()
    {
        var descriptor = GeneratorDiagnostics.For(Id, Severity);
        var span = new TextSpan(StartOffset, Math.Max(0, EndOffset - StartOffset));
        var lines = new LinePositionSpan(new LinePosition(Math.Max(0, StartLine), Math.Max(0, StartColumn)), new LinePosition(Math.Max(0, EndLine), Math.Max(0, EndColumn)));
        return Diagnostic.Create(descriptor, Location.Create(File, span, lines), Message);
    }
}
