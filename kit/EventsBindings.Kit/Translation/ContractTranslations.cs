using EventsBindings.Spec;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Translation;

/// <summary>
/// The translations as plain calls, for a CLI or a build step: each writes files for several contracts
/// into a folder and returns the paths written.
/// </summary>
public static class ContractTranslations
{
    /// <summary>Writes <c>&lt;outDir&gt;/&lt;contract&gt;.openapi.json</c> (OpenAPI 3.1) for each contract.</summary>
    /// <param name="contracts">The contracts.</param>
    /// <param name="outDir">The folder (created when missing).</param>
    /// <param name="mockServerUrl">When set, the mock server's base URL: each document lists it (with the contract's mock prefix) as an extra server.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> WriteOpenApi(IEnumerable<ContractSpec> contracts, string outDir, Uri? mockServerUrl = null)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        var options = new OpenApiTranslationOptions { MockServerUrl = mockServerUrl };
        return contracts.Select(c => OpenApiTranslator.Write(c, outDir, options)).ToList();
    }

    /// <summary>
    /// Writes WireMock stub mappings. By default every contract's stubs go into one WireMock root,
    /// <c>&lt;outDir&gt;/mappings/&lt;contract&gt;-*.json</c>, each contract mounted under its mock prefix
    /// (<c>mock.prefix</c>, else <c>/&lt;contract&gt;</c>) so that one WireMock serves every API, as the
    /// EventsBindings mock server does. With <see cref="WireMockTranslationOptions.PerContract"/> each contract
    /// gets its own root, <c>&lt;outDir&gt;/&lt;contract&gt;/mappings</c>, with the vendor's paths (contracts may
    /// share paths, such as two APIs with <c>/events</c>), or under <see cref="WireMockTranslationOptions.UseMockPrefix"/>
    /// / <see cref="WireMockTranslationOptions.PathPrefix"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="WireMockTranslationOptions.PathPrefix"/> without
    /// <see cref="WireMockTranslationOptions.PerContract"/>: one prefix for every contract in one root makes their paths collide.</exception>
    /// <param name="contracts">The contracts.</param>
    /// <param name="outDir">The folder (created when missing).</param>
    /// <param name="options">Layout and prefix options; default: one root, mock prefixes.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> WriteWireMock(IEnumerable<ContractSpec> contracts, string outDir, WireMockTranslationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        options ??= new WireMockTranslationOptions();
        if (!options.PerContract && options.PathPrefix is not null)
        {
            throw new ArgumentException($"{nameof(WireMockTranslationOptions.PathPrefix)} needs {nameof(WireMockTranslationOptions.PerContract)}: in one WireMock root every contract would go under the same prefix and their paths would collide.", nameof(options));
        }

        var written = new List<string>();
        foreach (var contract in contracts)
        {
            if (options.PerContract)
            {
                written.AddRange(WireMockTranslator.Write(contract, Path.Combine(outDir, JsonTypes.SafeFileName(contract.Name.ToLowerInvariant())), options));
                continue;
            }

            var shared = new WireMockTranslationOptions
            {
                UseMockPrefix = true,
                PathPrefix = string.IsNullOrEmpty(contract.Mock?.Prefix?.Trim('/')) ? "/" + JsonTypes.SafeFileName(contract.Name.ToLowerInvariant()) : null,
            };
            written.AddRange(WireMockTranslator.Write(contract, outDir, shared));
        }

        return written;
    }

    /// <summary>Writes <c>&lt;outDir&gt;/&lt;Contract&gt;/&lt;Model&gt;.schema.json</c> and <c>&lt;Endpoint&gt;.response.schema.json</c> (draft-07).</summary>
    /// <param name="contracts">The contracts.</param>
    /// <param name="outDir">The folder (created when missing).</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> WriteJsonSchema(IEnumerable<ContractSpec> contracts, string outDir)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        return contracts.SelectMany(c => JsonSchemaTranslator.Write(c, outDir)).ToList();
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
