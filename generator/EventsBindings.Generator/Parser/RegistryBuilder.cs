using System.Collections.Immutable;
using EventsBindings.Generator.Model;
using EventsBindings.Spec.Model;

namespace EventsBindings.Generator.Parser;

/// <summary>Builds the compilation's registry of exportable contracts from their emit models.</summary>
internal static class RegistryBuilder
{
    /// <summary>The namespace of the registry when the project names none (no <c>RootNamespace</c>).</summary>
    public const string DefaultNamespace = "EventsBindings.Generated";

    /// <summary>
    /// The registry entry of one contract: its first endpoint with a checkpointed export and no path
    /// parameters (the export needs nothing but the query), or null when it has none.
    /// </summary>
    public static RegistryEntryEmit? Entry(ContractEmit? contract)
    {
        if (contract is null)
        {
            return null;
        }

        foreach (var e in contract.Endpoints)
        {
            if (e.PathParameters.Count > 0 || !HasExport(e) || e.ModelName is null)
            {
                continue;
            }

            var pageSize = e.PageSizeProperty is { } property ? e.QueryParameters.FirstOrDefault(p => p.PropertyName == property) : null;
            var idIsInt64 = e.Sync == "IdCursor";
            var id = idIsInt64 ? e.SyncFieldAccessor! : e.SyncIdAccessor!;
            return new RegistryEntryEmit(contract.ApiName, contract.Namespace, contract.ClientName, e.Name, e.ModelName, id, idIsInt64, e.SyncPageSize, pageSize?.Minimum, pageSize?.Maximum, pageSize?.WireName);
        }

        return null;
    }

    /// <summary>
    /// Whether the client emitter writes a <c>Create…Export</c> for the endpoint (the same conditions as
    /// <c>ContractEmitter.EmitEndpoint</c>).
    /// </summary>
    public static bool HasExport(EndpointEmit e)
    {
        var hasQuery = e.QueryParameters.Count > 0;
        return (e.Sync == "NextLink" && hasQuery && e.Paging == "NextLink" && e.SyncIdAccessor is not null)
            || (e.Sync is not null && e.Sync != "NextLink" && hasQuery && e.SyncCursorProperty is not null && e.SyncFieldAccessor is not null && e.SyncCursorAssign is not null
                && (e.Sync == "IdCursor" || e.SyncIdAccessor is not null));
    }

    /// <summary>The registry: entries ordered by API name, in the project's root namespace (when it is a valid one).</summary>
    public static RegistryEmit Build(ImmutableArray<RegistryEntryEmit?> entries, string? rootNamespace)
    {
        var ordered = entries.Where(e => e is not null).Select(e => e!).OrderBy(e => e.ApiName, StringComparer.Ordinal).ThenBy(e => e.Namespace, StringComparer.Ordinal);
        return new RegistryEmit(IsNamespace(rootNamespace) ? rootNamespace! : DefaultNamespace, ordered.ToEquatableArray());
    }

    private static bool IsNamespace(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && value!.Split('.').All(part => part.Length > 0 && (char.IsLetter(part[0]) || part[0] == '_') && part.All(c => char.IsLetterOrDigit(c) || c == '_')
            && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(part) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None);
}
