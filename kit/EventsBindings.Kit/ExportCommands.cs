using EventsBindings.Kit.Export;
using EventsBindings.Spec;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit;

/// <summary>
/// The exports as plain calls, for a CLI or a build step: each writes files for several contracts
/// into a folder and returns the paths written.
/// </summary>
public static class ExportCommands
{
    /// <summary>Writes <c>&lt;outDir&gt;/&lt;contract&gt;.openapi.json</c> (OpenAPI 3.1) for each contract.</summary>
    /// <param name="contracts">The contracts.</param>
    /// <param name="outDir">The folder (created when missing).</param>
    /// <param name="mockServerUrl">When set, the mock server's base URL: each document lists it (with the contract's mock prefix) as an extra server.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> ExportOpenApi(IEnumerable<ContractSpec> contracts, string outDir, Uri? mockServerUrl = null)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        var options = new OpenApiExportOptions { MockServerUrl = mockServerUrl };
        return contracts.Select(c => OpenApiExporter.Export(c, outDir, options)).ToList();
    }

    /// <summary>
    /// Writes WireMock stub mappings. With the mock prefix (or an explicit path prefix) every
    /// contract's stubs go into one WireMock root, <c>&lt;outDir&gt;/mappings</c>, since the prefixes keep
    /// them apart; without, each contract gets its own root, <c>&lt;outDir&gt;/&lt;contract&gt;/mappings</c>,
    /// because contracts may share paths (two APIs with <c>/events</c>).
    /// </summary>
    /// <param name="contracts">The contracts.</param>
    /// <param name="outDir">The folder (created when missing).</param>
    /// <param name="options">Prefix options; default: no prefix.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> ExportWireMock(IEnumerable<ContractSpec> contracts, string outDir, WireMockExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        options ??= new WireMockExportOptions();
        var list = contracts.ToList();
        var shared = options.UseMockPrefix || !string.IsNullOrEmpty(options.PathPrefix?.Trim('/'));
        var written = new List<string>();
        foreach (var contract in list)
        {
            var root = shared ? outDir : Path.Combine(outDir, JsonTypes.SafeFileName(contract.Name.ToLowerInvariant()));
            written.AddRange(WireMockExporter.Export(contract, root, options));
        }

        return written;
    }

    /// <summary>Writes <c>&lt;outDir&gt;/&lt;Contract&gt;/&lt;Model&gt;.schema.json</c> and <c>&lt;Endpoint&gt;.response.schema.json</c> (draft-07).</summary>
    /// <param name="contracts">The contracts.</param>
    /// <param name="outDir">The folder (created when missing).</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> ExportJsonSchema(IEnumerable<ContractSpec> contracts, string outDir)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        return contracts.SelectMany(c => JsonSchemaExporter.Export(c, outDir)).ToList();
    }

    /// <summary>
    /// Reads every <c>*.yaml</c> contract of a folder. Contracts with errors are left out; every
    /// diagnostic (with its file, line and column) is returned.
    /// </summary>
    public static (IReadOnlyList<ContractSpec> Contracts, IReadOnlyList<SpecDiagnostic> Diagnostics) LoadContracts(string directory)
    {
        var contracts = new List<ContractSpec>();
        var diagnostics = new List<SpecDiagnostic>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
        {
            var result = ContractReader.ParseFile(file);
            diagnostics.AddRange(result.Diagnostics);
            if (result.Contract is not null)
            {
                contracts.Add(result.Contract);
            }
        }

        return (contracts, diagnostics);
    }
}
