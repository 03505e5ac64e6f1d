using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Infrastructure;

namespace EventsExport;

/// <summary>An API the export can read: the registry's entry of its contract.</summary>
/// <param name="Entry">The generated registry's entry (<see cref="EventsContracts"/>): the client, its export and the page-size bounds.</param>
internal sealed record ExportableApiChoice(ExportableApi Entry)
{
    /// <summary>The generated client's descriptor: the contract's auth schemes, to check the options against.</summary>
    public ApiDescriptor Descriptor => Entry.Api;

    /// <summary>The <c>--api</c> value: the contract's <c>name</c>, lower case.</summary>
    public string Key => Entry.Name.ToLowerInvariant();

    /// <summary>Whether the contract offers a refresh-token scheme (then <c>--refresh-token</c> applies).</summary>
    public bool HasRefreshToken => Entry.HasRefreshToken;

    /// <summary>Refuses a page size outside the contract's bounds.</summary>
    /// <param name="pageSize">The page size.</param>
    /// <exception cref="ArgumentOutOfRangeException">The contract does not allow it.</exception>
    public void CheckPageSize(int pageSize) => Entry.CheckPageSize(pageSize);

    /// <summary>Builds the export over the generated client, writing each event as the server sent it.</summary>
    /// <param name="options">The command line's options.</param>
    /// <param name="store">Where the checkpoint is kept.</param>
    /// <param name="exportOptions">Export options.</param>
    /// <returns>The export.</returns>
    public NdjsonExport Create(Options options, ICheckpointStore store, ExportOptions exportOptions) =>
        Entry.CreateNdjsonExport(new EventsClientArguments(options.BaseUrl, options.Credential, Configure: o => o.AuthScheme = options.AuthScheme), store, options.Out, options.PageSize, exportOptions);
}

/// <summary>
/// The APIs whose contracts the generator compiled into clients with a sync, as its registry
/// (<see cref="EventsContracts.Exportable"/>) lists them: a contract added to the project is a choice
/// here with no C#; every choice, name and hint of the command line is derived from the contracts.
/// </summary>
internal static class Apis
{
    public static IReadOnlyList<ExportableApiChoice> All { get; } = EventsContracts.Exportable.Select(e => new ExportableApiChoice(e)).ToArray();

    /// <summary>The <c>--api</c> choices, as usage text writes them.</summary>
    public static string Choices(string separator) => string.Join(separator, All.Select(a => a.Key));

    /// <summary>The API of an <c>--api</c> value, or null.</summary>
    public static ExportableApiChoice? Find(string key) => All.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase));
}
