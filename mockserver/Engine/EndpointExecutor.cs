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
    public static MockResponse Execute(ApiRuntime api, EndpointSpec endpoint, BindResult bound, DateTimeOffset now)
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
                var seqs = QueryEngine.List(store, query);
                var (body, length) = ListBody(api, store, endpoint, seqs);
                return MockResponse.Json(200, body) with { Length = length, Pooled = true };
            }
        }
    }

    /// <summary>
    /// The list answer, envelope included, written once into a pooled array (its length is returned):
    /// a page of thousands of items is megabytes, and a fresh array per request is a large-object-heap
    /// allocation that only full collections reclaim, over a heap that holds the whole dataset.
    /// </summary>
    private static (byte[] Body, int Length) ListBody(ApiRuntime api, ItemStore store, EndpointSpec endpoint, List<int> seqs)
    {
        var items = new ReadOnlyMemory<byte>[seqs.Count];
        var length = 2 + Math.Max(0, seqs.Count - 1);
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = api.RawFor(store, endpoint, seqs[i]);
            length += items[i].Length;
        }

        var prefix = EnvelopePrefix(endpoint.Response.Envelope);
        var total = prefix.Length + length + (prefix.Length > 0 ? 1 : 0);
        var body = System.Buffers.ArrayPool<byte>.Shared.Rent(total);
        var at = prefix.Length;
        prefix.CopyTo(body, 0);
        body[at++] = (byte)'[';
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)',';
            }

            items[i].Span.CopyTo(body.AsSpan(at));
            at += items[i].Length;
        }

        body[at++] = (byte)']';
        if (prefix.Length > 0)
        {
            body[at] = (byte)'}';
        }

        return (body, total);
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
