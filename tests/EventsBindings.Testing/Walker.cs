using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.Testing;

/// <summary>Walks an endpoint's pages as its pagination spec says, and reads its payloads.</summary>
public static class Walker
{
    public static string Query(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));

    public static string PathOf(EndpointSpec endpoint, IDictionary<string, string> pathValues)
    {
        var path = endpoint.Path;
        foreach (var (k, v) in pathValues)
        {
            path = path.Replace("{" + k + "}", Uri.EscapeDataString(v), StringComparison.Ordinal);
        }

        return path;
    }

    /// <summary>The payload of a response, unwrapped from the endpoint's envelope.</summary>
    public static JsonElement Payload(EndpointSpec endpoint, string body)
    {
        var root = JsonDocument.Parse(body).RootElement.Clone();
        return endpoint.Response.Envelope is { } env ? root.GetProperty(env) : root;
    }

    /// <summary>Every item of a list endpoint under the given parameters, page by page.</summary>
    public static async Task<List<JsonElement>> AllAsync(MockServerFixture fx, ContractSpec contract, EndpointSpec endpoint, IDictionary<string, string> parameters, int? pageSize = null, IDictionary<string, string>? pathValues = null)
    {
        var pagination = endpoint.Pagination!;
        var sizeParam = endpoint.FindParameter(pagination.PageSizeParameter!)!;
        var size = pageSize ?? (int)(sizeParam.Maximum ?? 100);
        var query = new Dictionary<string, string>(parameters) { [sizeParam.WireName] = size.ToString(CultureInfo.InvariantCulture) };
        var all = new List<JsonElement>();
        for (var page = 0; page < 10_000; page++)
        {
            var (status, body, _) = await fx.GetAsync(contract.Name, PathOf(endpoint, pathValues ?? new Dictionary<string, string>()) + "?" + Query(query));
            if (status != 200)
            {
                throw new InvalidOperationException($"{endpoint.Name} page {page}: {status} {body}");
            }

            var items = Payload(endpoint, body).EnumerateArray().ToList();
            all.AddRange(items);
            if (items.Count == 0 || (pagination.Stop == StopRule.ShortPage && items.Count < size))
            {
                return all;
            }

            if (pagination.Strategy == PaginationStrategy.Cursor)
            {
                var last = Oracle.At(items[^1], pagination.CursorField!)!.Value.GetInt64();
                query[pagination.CursorParameter!] = (pagination.CursorNext == CursorNext.LastPlusOne ? last + 1 : last).ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                var skip = query.TryGetValue(pagination.OffsetParameter!, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
                query[pagination.OffsetParameter!] = (skip + items.Count).ToString(CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("Paging did not end.");
    }

    public static string Id(JsonElement item, ContractSpec contract) => Oracle.Text(Oracle.At(item, contract.Mock!.Id!.Field))!;
}
