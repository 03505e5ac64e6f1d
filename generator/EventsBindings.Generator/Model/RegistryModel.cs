using EventsBindings.Spec.Model;

namespace EventsBindings.Generator.Model;

/// <summary>
/// One contract in the compilation's registry: its client and the endpoint whose checkpointed export the
/// registry offers. Value-equal, computed from the contract's emit model alone.
/// </summary>
internal sealed record RegistryEntryEmit(
    string ApiName,
    string Namespace,
    string ClientName,
    string EndpointName,
    string ItemModel,
    FieldAccessEmit Id,
    bool IdIsInt64,
    int SyncPageSize,
    long? MinPageSize,
    long? MaxPageSize,
    string? PageSizeParameter);

/// <summary>The registry of one compilation: its namespace and every exportable contract, ordered by name.</summary>
internal sealed record RegistryEmit(string Namespace, EquatableArray<RegistryEntryEmit> Entries);
