using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.Testing;

/// <summary>
/// The whole dataset of an API as served, read from the contract alone: the list endpoint that serves
/// the dataset model, with the parameters that lift default windows, so that the oracle can compute
/// the expected answer of any filter.
/// </summary>
public static class Universe
{
    /// <summary>
    /// Parameters that lift the filters a server applies by default (a default window): for each filter
    /// with a default, a parameter that makes it unused (its <c>ignoredWhen</c>) set to the value that
    /// selects everything, or else the widest value of the filter itself.
    /// </summary>
    public static Dictionary<string, string> Parameters(EndpointSpec endpoint)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var q in endpoint.Parameters.Where(q => q.Default is not null && Oracle.IsFilter(q.Semantics.Kind)))
        {
            var lifter = q.IgnoredWhen.Select(endpoint.FindParameter).FirstOrDefault(w => w is not null && Lowest(w) is not null);
            if (lifter is not null)
            {
                result[lifter.WireName] = Lowest(lifter)!;
            }
            else if (q.Semantics.Kind == SemanticsKind.RelativeWindow)
            {
                result[q.WireName] = ((long)(q.Maximum ?? 1_000_000)).ToString(CultureInfo.InvariantCulture);
            }
        }

        // A relative default window (since = until or now, minus 7 days): widened to the whole time line.
        foreach (var q in endpoint.Parameters.Where(q => q.RelativeDefault is not null && q.Semantics.Kind is SemanticsKind.GreaterThan or SemanticsKind.LessThan))
        {
            var edge = q.Semantics.Kind == SemanticsKind.GreaterThan ? new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero) : new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);
            result[q.WireName] = Oracle.WireText(q.Type, edge);
        }

        return result;
    }

    /// <summary>The value of a lower-bound filter that excludes nothing, or null if it is none.</summary>
    private static string? Lowest(ParameterSpec p) => p.Semantics.Kind is SemanticsKind.GreaterThan or SemanticsKind.CursorStart
        ? p.Type.Kind switch
        {
            TypeKind.Date => "1970-01-01",
            TypeKind.Timestamp or TypeKind.Int32 or TypeKind.Int64 => ((long)(p.Minimum ?? 0)).ToString(CultureInfo.InvariantCulture),
            _ => null,
        }
        : null;

    /// <summary>The list endpoint that serves every item the given endpoint may select (itself when it has no path parameters).</summary>
    public static EndpointSpec Source(ContractSpec contract, EndpointSpec endpoint) =>
        endpoint.Response.Kind == ResponseKind.List && !endpoint.Path.Contains('{', StringComparison.Ordinal)
            ? endpoint
            : contract.Endpoints.FirstOrDefault(e => e.Response.Kind == ResponseKind.List && e.Response.Model == contract.Mock!.DatasetModel && !e.Path.Contains('{', StringComparison.Ordinal))
              ?? contract.Endpoints.First(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal));

    /// <summary>Every item the endpoint may select, fetched over plain HTTP page by page.</summary>
    public static Task<List<JsonElement>> FetchAsync(MockServerFixture fx, ContractSpec contract, EndpointSpec endpoint) => FetchAsync(ApiServer.Of(fx), contract, endpoint);

    /// <summary>Every item the endpoint may select, fetched over plain HTTP page by page from any host.</summary>
    public static async Task<List<JsonElement>> FetchAsync(IApiServer fx, ContractSpec contract, EndpointSpec endpoint)
    {
        var source = Source(contract, endpoint);
        return await Walker.AllAsync(fx, contract, source, Parameters(source)).ConfigureAwait(false);
    }

    /// <summary>
    /// The items of the universe that the endpoint answers for these wire values (query and path),
    /// by the oracle: every given filter holds, and every default filter that is not made unused.
    /// </summary>
    public static List<JsonElement> Expected(ContractSpec contract, EndpointSpec endpoint, IReadOnlyDictionary<string, string> values, IEnumerable<JsonElement> universe, DateTimeOffset now)
    {
        var given = values.Select(kv => (Parameter: endpoint.FindParameter(kv.Key)!, kv.Value)).ToList();
        var defaults = endpoint.Parameters
            .Where(q => q.Default is not null && Oracle.IsFilter(q.Semantics.Kind) && !values.ContainsKey(q.WireName) && !q.IgnoredWhen.Any(values.ContainsKey))
            .ToList();
        var relative = endpoint.Parameters
            .Where(q => q.RelativeDefault is not null && Oracle.IsFilter(q.Semantics.Kind) && !values.ContainsKey(q.WireName) && !q.IgnoredWhen.Any(values.ContainsKey))
            .Select(q => (Parameter: q, Value: Oracle.RelativeDefault(endpoint, q, values, now)))
            .ToList();
        return universe.Where(i =>
                given.All(g => Oracle.Satisfies(contract, endpoint, g.Parameter, g.Value, i, now))
                && defaults.All(q => Oracle.Satisfies(contract, endpoint, q, q.Default!, i, now))
                && relative.All(r => Oracle.Satisfies(contract, endpoint, r.Parameter, r.Value, i, now)))
            .ToList();
    }
}
