using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Infrastructure;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;
using Okta = EventsBindings.Okta;

namespace EventsExport;

/// <summary>An API the export can read: its contract's descriptor and how to build its export.</summary>
/// <param name="Descriptor">The generated client's <c>Api</c>: the contract's name and auth schemes.</param>
/// <param name="CheckPageSize">Sets a page size on the endpoint's query (its setter holds the contract's bounds).</param>
/// <param name="Create">Builds the export over the generated client.</param>
internal sealed record ExportableApi(
    ApiDescriptor Descriptor,
    Action<int> CheckPageSize,
    Func<Options, ICheckpointStore, ExportOptions, (Func<CancellationToken, Task<ExportResult>> RunOnce, Func<CancellationToken, Task> Follow)> Create)
{
    /// <summary>The <c>--api</c> value: the contract's <c>name</c>, lower case.</summary>
    public string Key => Descriptor.Name.ToLowerInvariant();

    /// <summary>Whether the contract offers a refresh-token scheme (then <c>--refresh-token</c> applies).</summary>
    public bool HasRefreshToken => Descriptor.Schemes.Any(s => s.Kind == AuthSchemeKind.RefreshToken);
}

/// <summary>
/// The APIs whose contracts the generator compiled into clients with a sync (the generated
/// <c>Create…Export</c>); every choice, name and hint of the command line is derived from their descriptors.
/// </summary>
internal static class Apis
{
    public static IReadOnlyList<ExportableApi> All { get; } = new ExportableApi[]
    {
        new(Abr.AdminByRequestClient.Api, static n => _ = new Abr.EventsQuery { Take = n }, static (o, store, exportOptions) =>
        {
            var client = new Abr.AdminByRequestClient(o.BaseUrl, o.Credential, new Abr.AdminByRequestClientOptions { AuthScheme = o.AuthScheme });
            var sink = NdjsonFileSink.Create<Abr.Event>(o.Out);
            var export = client.CreateEventsExport(store, sink, pageSize: o.PageSize, options: exportOptions);
            return (export.RunOnceAsync, export.FollowAsync);
        }),
        new(Banyan.BanyanClient.Api, static n => _ = new Banyan.EventsQuery { Limit = n }, static (o, store, exportOptions) =>
        {
            var client = new Banyan.BanyanClient(o.BaseUrl, o.Credential, new Banyan.BanyanClientOptions { AuthScheme = o.AuthScheme });
            var sink = NdjsonFileSink.Create<Banyan.Event>(o.Out);
            var export = client.CreateEventsExport(store, sink, pageSize: o.PageSize, options: exportOptions);
            return (export.RunOnceAsync, export.FollowAsync);
        }),
        new(Okta.OktaClient.Api, static n => _ = new Okta.LogsQuery { Limit = n }, static (o, store, exportOptions) =>
        {
            var client = new Okta.OktaClient(o.BaseUrl, o.Credential, new Okta.OktaClientOptions { AuthScheme = o.AuthScheme });
            var sink = NdjsonFileSink.Create<Okta.LogEvent>(o.Out);
            var export = client.CreateLogsExport(store, sink, pageSize: o.PageSize, options: exportOptions);
            return (export.RunOnceAsync, export.FollowAsync);
        }),
    };

    /// <summary>The <c>--api</c> choices, as usage text writes them.</summary>
    public static string Choices(string separator) => string.Join(separator, All.Select(a => a.Key));

    /// <summary>The API of an <c>--api</c> value, or null.</summary>
    public static ExportableApi? Find(string key) => All.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase));
}
