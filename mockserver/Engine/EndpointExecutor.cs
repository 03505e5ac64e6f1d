using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Engine;

/// <summary>Answers an authenticated, bound request of an endpoint from its declared response kind.</summary>
internal static class EndpointExecutor
{
    public static MockResponse Execute(ApiRuntime api, EndpointSpec endpoint, BindResult bound, DateTimeOffset now, Uri? requestUri = null)
    {
        var query = QueryBuilder.Build(api, endpoint, bound, now, out var bad);
        if (bad is not null)
        {
            return ErrorBodies.BadRequest(api.Contract, endpoint, bad);
        }

        var store = api.Store;
        switch (endpoint.Response.Kind)
        {
            case ResponseKind.Item:
            {
                query.PageSize = 1;
                var found = QueryEngine.List(store, query);
                if (found.Count == 0)
                {
                    return ErrorBodies.For(api.Contract, endpoint, 404, "No item matches.");
                }

                return MockResponse.Json(200, Wrap(endpoint.Response.Envelope, api.RawFor(store, endpoint, found[0]).ToArray()));
            }

            case ResponseKind.Count:
            {
                var count = QueryEngine.Count(store, query);
                if (endpoint.Response.Cap is { } cap && count > cap)
                {
                    count = cap;
                }

                return MockResponse.Json(200, Wrap(endpoint.Response.Envelope, Encoding.UTF8.GetBytes(count.ToString(CultureInfo.InvariantCulture))));
            }

            default:
            {
                if (endpoint.Pagination is { Strategy: PaginationStrategy.NextLink, NextLink: { } link } pagination && requestUri is not null)
                {
                    return NextLinkPages.Answer(api, store, endpoint, pagination, link, query, requestUri, EnvelopePrefix(endpoint.Response.Envelope));
                }

                var seqs = QueryEngine.List(store, query);
                return MockResponse.Json(200, Array.Empty<byte>()) with { List = new ListBody(api, store, endpoint, seqs, EnvelopePrefix(endpoint.Response.Envelope)) };
            }
        }
    }

    /// <summary>The refresh-token exchange's answer: the contract's example with a fresh token in the scheme's token field.</summary>
    public static MockResponse Token(ApiRuntime api, EndpointSpec endpoint, string token)
    {
        var scheme = api.Contract.AuthSchemes.FirstOrDefault(s => s.ExchangeEndpoint == endpoint.Name);
        var field = scheme?.TokenField ?? "access_token";
        JsonObject body = new();
        var example = endpoint.Examples.FirstOrDefault(e => e.Status is >= 200 and < 300);
        if (example is not null)
        {
            try
            {
                var node = JsonNode.Parse(example.Body);
                if (endpoint.Response.Envelope is { } env && node is JsonObject w && w[env] is JsonObject inner)
                {
                    node = inner.DeepClone();
                }

                body = node as JsonObject ?? new JsonObject();
            }
            catch (JsonException)
            {
                body = new JsonObject();
            }
        }

        body[field] = token;
        return MockResponse.Json(200, Wrap(endpoint.Response.Envelope, Encoding.UTF8.GetBytes(body.ToJsonString(ItemStore.JsonOptions))));
    }

    private static byte[] Wrap(string? envelope, byte[] payload)
    {
        if (envelope is null)
        {
            return payload;
        }

        var prefix = EnvelopePrefix(envelope);
        var result = new byte[prefix.Length + payload.Length + 1];
        prefix.CopyTo(result, 0);
        payload.CopyTo(result, prefix.Length);
        result[^1] = (byte)'}';
        return result;
    }

    /// <summary><c>{"name":</c> for an envelope property, empty for a bare payload.</summary>
    private static byte[] EnvelopePrefix(string? envelope) =>
        envelope is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes("{" + JsonSerializer.Serialize(envelope) + ":");
}
