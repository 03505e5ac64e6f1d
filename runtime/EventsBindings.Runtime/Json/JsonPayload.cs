using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>Reads whole response bodies: a list, an item or a count, bare or inside an envelope property.</summary>
public static class JsonPayload
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 };

    /// <summary>
    /// Reads a JSON array of items (a <c>null</c> payload is an empty list). Inside a
    /// <see cref="RawJsonCapture"/> scope the result is a <see cref="RawJsonList{T}"/> that also holds each
    /// item's original JSON.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="json">The body.</param>
    /// <param name="envelope">The property that wraps the array, or null for a bare array.</param>
    /// <param name="item">Reads one item.</param>
    /// <returns>The items.</returns>
    /// <exception cref="JsonPayloadException">The body is not valid JSON or does not match.</exception>
    public static List<T> ReadList<T>(ReadOnlySpan<byte> json, string? envelope, JsonReadFunc<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var r = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            var items = default(ItemBuffer<T>);
            var capture = RawJsonCapture.IsActive;
            var ranges = default(ItemBuffer<(int Start, int End)>);
            Enter(ref r, envelope);
            if (r.TokenType == JsonTokenType.Null)
            {
                return new List<T>();
            }

            if (r.TokenType != JsonTokenType.StartArray)
            {
                throw Located(new JsonPayloadException($"Expected an array, found {JsonRead.Describe(r.TokenType)}"), envelope);
            }

            while (true)
            {
                Next(ref r);
                if (r.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                try
                {
                    var start = (int)r.TokenStartIndex;
                    items.Add(item(ref r));
                    if (capture)
                    {
                        ranges.Add((start, (int)r.BytesConsumed));
                    }
                }
                catch (JsonPayloadException ex)
                {
                    throw Located(ex.WithIndex(items.Count), envelope);
                }
                catch (JsonException ex)
                {
                    throw Located(Malformed(ex).WithIndex(items.Count), envelope);
                }
            }

            Finish(ref r, envelope);
            return capture ? WithRawJson(json, items.ToArray(), ranges.ToArray()) : items.ToList();
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
    }

    /// <summary>Reads one item.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="json">The body.</param>
    /// <param name="envelope">The property that wraps the item, or null.</param>
    /// <param name="item">Reads the item.</param>
    /// <returns>The item.</returns>
    /// <exception cref="JsonPayloadException">The body is not valid JSON or does not match.</exception>
    public static T ReadItem<T>(ReadOnlySpan<byte> json, string? envelope, JsonReadFunc<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var r = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            Enter(ref r, envelope);
            T result;
            try
            {
                result = item(ref r);
            }
            catch (JsonPayloadException ex)
            {
                throw Located(ex, envelope);
            }

            Finish(ref r, envelope);
            return result;
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
    }

    /// <summary>Reads an integer count.</summary>
    /// <param name="json">The body.</param>
    /// <param name="envelope">The property that wraps the count, or null.</param>
    /// <returns>The count.</returns>
    /// <exception cref="JsonPayloadException">The body is not valid JSON or not an integer.</exception>
    public static long ReadCount(ReadOnlySpan<byte> json, string? envelope)
    {
        var r = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            Enter(ref r, envelope);
            long result;
            try
            {
                result = JsonRead.Int64(ref r, "count");
            }
            catch (JsonPayloadException ex)
            {
                throw Located(ex, envelope);
            }

            Finish(ref r, envelope);
            return result;
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
    }

    /// <summary>Reads a string property of a top-level object (e.g. the token of an auth exchange).</summary>
    /// <param name="json">The body.</param>
    /// <param name="property">The property name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonPayloadException">The body is not an object with that string property.</exception>
    public static string ReadStringProperty(ReadOnlySpan<byte> json, string property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var r = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            Enter(ref r, property);
            try
            {
                return JsonRead.StringUncached(ref r, property);
            }
            catch (JsonPayloadException ex)
            {
                throw ex.WithParent(property);
            }
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
    }

    /// <summary>The items with their JSON: one copy of the bytes the items span, sliced per item.</summary>
    private static RawJsonList<T> WithRawJson<T>(ReadOnlySpan<byte> json, T[] items, (int Start, int End)[] ranges)
    {
        var list = new RawJsonList<T>(items.Length);
        if (items.Length == 0)
        {
            return list;
        }

        var first = ranges[0].Start;
        var bytes = json[first..ranges[^1].End].ToArray();
        var memory = new ReadOnlyMemory<byte>(bytes);
        for (var i = 0; i < items.Length; i++)
        {
            list.Add(items[i], memory[(ranges[i].Start - first)..(ranges[i].End - first)]);
        }

        return list;
    }

    private static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read())
        {
            throw new JsonPayloadException("The JSON ends too early");
        }
    }

    /// <summary>Moves to the payload: the root value, or the value of the envelope property.</summary>
    private static void Enter(ref Utf8JsonReader r, string? envelope)
    {
        if (!r.Read())
        {
            throw new JsonPayloadException("The body is empty");
        }

        if (envelope is null)
        {
            return;
        }

        if (r.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonPayloadException($"Expected an object with the property '{envelope}', found {JsonRead.Describe(r.TokenType)}");
        }

        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
            {
                throw new JsonPayloadException($"The property '{envelope}' is missing");
            }

            var match = r.ValueTextEquals(envelope);
            Next(ref r);
            if (match)
            {
                return;
            }

            r.Skip();
        }
    }

    /// <summary>Checks that nothing but the envelope's remaining properties follows the payload.</summary>
    private static void Finish(ref Utf8JsonReader r, string? envelope)
    {
        if (envelope is not null)
        {
            while (true)
            {
                Next(ref r);
                if (r.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                Next(ref r);
                r.Skip();
            }
        }

        if (r.Read())
        {
            throw new JsonPayloadException("Unexpected content after the JSON value");
        }
    }

    private static JsonPayloadException Located(JsonPayloadException ex, string? envelope) =>
        envelope is null ? ex : ex.WithParent(envelope);

    private static JsonPayloadException Malformed(JsonException ex) =>
        new($"The body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})", null, ex);
}
