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

/// <summary>Finds elements of a valid contract in its text, for diagnostics raised after parsing (by the generator).</summary>
public static class ContractLocator
{
    /// <summary>
    /// Where an endpoint stands in the contract's text: its key <paramref name="key"/> (e.g. <c>pagination</c>) when
    /// given and present, else its <c>name</c>; null when the text holds no such endpoint.
    /// </summary>
    /// <param name="text">The contract's YAML text.</param>
    /// <param name="file">The file name locations carry.</param>
    /// <param name="endpointName">The endpoint's <c>name</c>.</param>
    /// <param name="key">A key of the endpoint's mapping, or null.</param>
    /// <returns>The span, or null.</returns>
    public static Diagnostics.SourceSpan? Endpoint(string text, string file, string endpointName, string? key = null)
    {
        if (Yaml.YamlTree.Parse(text ?? string.Empty, file ?? string.Empty, new List<Diagnostics.SpecDiagnostic>()) is not Yaml.YMapping root)
        {
            return null;
        }

        var endpoints = root.Entries.FirstOrDefault(e => e.Key.Value == "endpoints").Value as Yaml.YSequence;
        foreach (var endpoint in endpoints?.Items.OfType<Yaml.YMapping>() ?? Enumerable.Empty<Yaml.YMapping>())
        {
            var name = endpoint.Entries.FirstOrDefault(e => e.Key.Value == "name");
            if (name.Value is Yaml.YScalar { } value && value.Value == endpointName)
            {
                var at = key is null ? name.Key : endpoint.Entries.FirstOrDefault(e => e.Key.Value == key).Key ?? name.Key;
                return Yaml.YamlTree.Make(string.Empty, string.Empty, file ?? string.Empty, at.Start, at.End).Location;
            }
        }

        return null;
    }
}
