using System.Text;
using System.Text.Json;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Json;
using Microsoft.AspNetCore.Http;

namespace EventsBindings.Runtime.Tests.Support;

/// <summary>A made-up API, as generated code would describe it.</summary>
public static class TestApi
{
    public static ApiDescriptor Descriptor { get; } = new(
        "Test",
        new[]
        {
            new AuthSchemeDescriptor("key", AuthSchemeKind.ApiKey, HeaderName: "x-test-key"),
            new AuthSchemeDescriptor("basic", AuthSchemeKind.Basic),
            new AuthSchemeDescriptor("bearer", AuthSchemeKind.Bearer),
            new AuthSchemeDescriptor("refresh", AuthSchemeKind.RefreshToken, ExchangePath: "/token", TokenField: "access"),
            new AuthSchemeDescriptor("ssws", AuthSchemeKind.Authorization, AuthorizationScheme: "SSWS"),
        },
        new[]
        {
            new ErrorDescriptor(400, "A filter is invalid."),
            new ErrorDescriptor(401, "The key is missing or invalid."),
            new ErrorDescriptor(403, "The key may not read items."),
            new ErrorDescriptor(404, "No such thing."),
            new ErrorDescriptor(429, "Throttled for flooding."),
            new ErrorDescriptor(500, "The service failed."),
        });

    public static EventsClientOptions FastOptions(Action<EventsClientOptions>? configure = null)
    {
        var o = new EventsClientOptions
        {
            Retry = new EventsRetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
            AttemptTimeout = TimeSpan.FromSeconds(20),
            OverallTimeout = TimeSpan.FromSeconds(60),
        };
        configure?.Invoke(o);
        return o;
    }

    public static EventsPipeline Pipeline(LoopbackServer server, EventsCredential? credential = null, EventsClientOptions? options = null, HttpClient? http = null) =>
        new(http ?? new HttpClient(), server.BaseUri, credential ?? new EventsKeyCredential("test-key"), Descriptor, options ?? FastOptions());

    public static EventsRequest Get(string path = "/items")
    {
        var r = new EventsRequest(HttpMethod.Get, "Items", path);
        r.AppendPath(path);
        return r;
    }

    public static async Task<IReadOnlyList<Item>> GetItemsAsync(this EventsPipeline pipeline, CancellationToken ct = default, EventsRequest? request = null) =>
        (await pipeline.GetItemsResponseAsync(ct, request)).Value;

    /// <summary>The items with the raw response they came in (what the pager's fetches return).</summary>
    public static Task<EventsResponse<IReadOnlyList<Item>>> GetItemsResponseAsync(this EventsPipeline pipeline, CancellationToken ct = default, EventsRequest? request = null) =>
        pipeline.SendAsync<IReadOnlyList<Item>>(request ?? Get(), static body => JsonPayload.ReadList<Item>(body, null, Item.Read), ct);

    public static string Json(IEnumerable<Item> items)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            JsonWrite.Array(w, items, Item.Write);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Task WriteJsonAsync(this HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public static IReadOnlyList<Item> Items(int from, int to, long at = 1_700_000_000_000) =>
        Enumerable.Range(from, to - from + 1).Select(i => new Item(i, at + i, "item " + i)).ToList();
}

/// <summary>A small item type with hand-written converters shaped like generated ones.</summary>
public sealed record Item(long Id, long At, string Name)
{
    public static Item Read(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject, "Item");
        long id = 0, at = 0;
        string name = string.Empty;
        bool seenId = false;
        string? property = null;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    property = "id";
                    reader.Read();
                    id = JsonRead.Int64(ref reader, "Item.id");
                    seenId = true;
                }
                else if (reader.ValueTextEquals("at"u8))
                {
                    property = "at";
                    reader.Read();
                    at = JsonRead.Int64(ref reader, "Item.at");
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    property = "name";
                    reader.Read();
                    name = JsonRead.String(ref reader, "Item.name");
                }
                else
                {
                    property = reader.GetString();
                    reader.Read();
                    reader.Skip();
                }

                property = null;
            }
        }
        catch (JsonPayloadException ex) when (property is not null)
        {
            throw ex.WithParent(property);
        }

        if (!seenId)
        {
            JsonRead.Missing(ref reader, "Item", "id");
        }

        return new Item(id, at, name);
    }

    public static void Write(Utf8JsonWriter w, Item item)
    {
        w.WriteStartObject();
        w.WriteNumber("id", item.Id);
        w.WriteNumber("at", item.At);
        w.WriteString("name", item.Name);
        w.WriteEndObject();
    }
}
