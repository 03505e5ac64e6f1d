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

    /// <summary>
    /// Every item of a list endpoint under the given parameters, page by page as its pagination says; an
    /// endpoint without pagination (or with <c>strategy: none</c>) is one request, with its page-size
    /// parameter at its maximum when it has one.
    /// </summary>
    public static Task<List<JsonElement>> AllAsync(MockServerFixture fx, ContractSpec contract, EndpointSpec endpoint, IDictionary<string, string> parameters, int? pageSize = null, IDictionary<string, string>? pathValues = null) =>
        AllAsync(ApiServer.Of(fx), contract, endpoint, parameters, pageSize, pathValues);

    /// <summary>Every item of a list endpoint under the given parameters, from any host (see the overload above).</summary>
    public static async Task<List<JsonElement>> AllAsync(IApiServer fx, ContractSpec contract, EndpointSpec endpoint, IDictionary<string, string> parameters, int? pageSize = null, IDictionary<string, string>? pathValues = null)
    {
        var pagination = endpoint.Pagination is { Strategy: not PaginationStrategy.None } paged ? paged : null;
        var sizeParam = pagination?.PageSizeParameter is { } sizeName
            ? endpoint.FindParameter(sizeName)
            : endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.PageSize);
        var size = pageSize ?? (int)(sizeParam?.Maximum ?? 100);
        var query = new Dictionary<string, string>(parameters);
        if (sizeParam is not null)
        {
            query[sizeParam.WireName] = size.ToString(CultureInfo.InvariantCulture);
        }

        var all = new List<JsonElement>();
        string? link = null; // next-link paging: the path and query of the page the previous one named
        for (var page = 0; page < 10_000; page++)
        {
            var (status, body, response) = await fx.GetAsync(contract.Name, link ?? PathOf(endpoint, pathValues ?? new Dictionary<string, string>()) + "?" + Query(query));
            if (status != 200)
            {
                throw new InvalidOperationException($"{endpoint.Name} page {page}: {status} {body}");
            }

            var items = Payload(endpoint, body).EnumerateArray().ToList();
            all.AddRange(items);
            if (pagination is null || items.Count == 0 || (pagination.Stop == StopRule.ShortPage && items.Count < size))
            {
                return all;
            }

            if (pagination.Strategy == PaginationStrategy.NextLink)
            {
                if (NextOf(pagination, response, body) is not { } next)
                {
                    return all;
                }

                if (pagination.NextLink!.IsToken)
                {
                    query[pagination.TokenParameter!] = next;
                }
                else
                {
                    link = RelativeToApi(fx, contract, new Uri(response.RequestMessage!.RequestUri!, next));
                }
            }
            else if (pagination.Strategy == PaginationStrategy.Cursor)
            {
                query[pagination.CursorParameter!] = NextCursor(items, pagination);
            }
            else
            {
                var skip = query.TryGetValue(pagination.OffsetParameter!, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
                query[pagination.OffsetParameter!] = (skip + items.Count).ToString(CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("Paging did not end.");
    }

    /// <summary>The next link or token a next-link page names (its Link header entry, or its body field); null when none.</summary>
    public static string? NextOf(PaginationSpec pagination, HttpResponseMessage response, string body)
    {
        var link = pagination.NextLink!;
        if (link.Header is { } header)
        {
            return response.Headers.TryGetValues(header, out var values) ? EventsBindings.Runtime.Paging.LinkHeader.FindTarget(values, link.Rel!) : null;
        }

        JsonElement at = JsonDocument.Parse(body).RootElement.Clone();
        foreach (var step in link.Field!.Segments)
        {
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(step, out at))
            {
                return null;
            }
        }

        return at.ValueKind == JsonValueKind.String && at.GetString() is { Length: > 0 } text ? text : null;
    }

    /// <summary>The path and query of an absolute link below the API's base address (the fixture's requests are relative to it).</summary>
    public static string RelativeToApi(MockServerFixture fx, ContractSpec contract, Uri link) => RelativeToApi(ApiServer.Of(fx), contract, link);

    /// <summary>The path and query of an absolute link below the API's base address on any host.</summary>
    public static string RelativeToApi(IApiServer fx, ContractSpec contract, Uri link)
    {
        var root = fx.ApiBaseAddress(contract.Name);
        if (!EventsBindings.Runtime.Paging.NextLinks.SameOrigin(root, link))
        {
            throw new InvalidOperationException($"The next link leaves the server's origin: {link}");
        }

        var basePath = root.AbsolutePath.TrimEnd('/');
        return link.PathAndQuery.StartsWith(basePath, StringComparison.Ordinal) ? link.PathAndQuery[basePath.Length..] : link.PathAndQuery;
    }

    /// <summary>The next page's cursor: the last item's cursor field (+1 with lastPlusOne), an integer or a timestamp (+1 ms).</summary>
    private static string NextCursor(List<JsonElement> items, PaginationSpec pagination)
    {
        var value = Oracle.At(items[^1], pagination.CursorField!)!.Value;
        var step = pagination.CursorNext == CursorNext.LastPlusOne ? 1 : 0;
        if (value.ValueKind == JsonValueKind.Number)
        {
            return (value.GetInt64() + step).ToString(CultureInfo.InvariantCulture);
        }

        var at = DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return at.AddMilliseconds(step).ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture);
    }

    public static string Id(JsonElement item, ContractSpec contract) => Oracle.Text(Oracle.At(item, contract.Mock!.Id!.Field))!;
}
