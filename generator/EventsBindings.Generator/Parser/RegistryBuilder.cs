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
            if (e.PathParameters.Count > 0 || e.Sync is not { } sync || e.ModelName is null)
            {
                continue;
            }

            var pageSize = sync.PageSizeParameter is { } size ? e.QueryParameters.FirstOrDefault(p => p.PropertyName == size.Property.Name) : null;
            // An id cursor's checkpoint holds its numeric field; the other syncs dedupe by the id's text.
            var (id, idIsInt64) = sync is SyncEmit.IdCursor idCursor ? (idCursor.Field, true) : (sync.Id, false);
            return new RegistryEntryEmit(contract.ApiName, contract.Namespace, contract.ClientName, e.Name, e.ModelName, id, idIsInt64, sync.PageSize, pageSize?.Minimum, pageSize?.Maximum, pageSize?.WireName);
        }

        return null;
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
