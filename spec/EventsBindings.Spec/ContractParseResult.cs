using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;

namespace EventsBindings.Spec;

/// <summary>
/// The outcome of reading one contract: the model when it has no errors, and every diagnostic.
/// </summary>
public sealed record ContractParseResult(ContractSpec? Contract, EquatableArray<SpecDiagnostic> Diagnostics)
{
    /// <summary>True when no diagnostic is an error (the contract is usable).</summary>
    public bool Success => Contract is not null;
}

/// <summary>Entry point: reads contracts from text or files. Never throws on bad input.</summary>
public static class ContractReader
{
    /// <summary>Parses and validates a contract's YAML text; <paramref name="file"/> is used in locations.</summary>
    public static ContractParseResult Parse(string text, string file) => Parsing.ContractParser.Parse(text ?? string.Empty, file ?? string.Empty);

    /// <summary>Reads and parses a contract file.</summary>
    public static ContractParseResult ParseFile(string path) => Parse(File.ReadAllText(path), path);
}
