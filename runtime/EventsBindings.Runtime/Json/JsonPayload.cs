using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>Reads whole response bodies: a list, an item or a count, bare or inside an envelope property.</summary>
public static class JsonPayload
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 };

    /// <summary>
    /// Reads a JSON array of items (a <c>null</c> payload is an empty list). Inside a
    /// <see cref="RawJsonCapture"/> scope the result is a <see cref="RawJsonItems{T}"/> that also holds each
    /// item's original JSON; outside one it is a <see cref="List{T}"/> and nothing else is recorded.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="json">The body.</param>
    /// <param name="envelope">The property that wraps the array, or null for a bare array.</param>
    /// <param name="item">Reads one item.</param>
    /// <returns>The items.</returns>
    /// <exception cref="JsonPayloadException">The body is not valid JSON or does not match.</exception>
    public static IReadOnlyList<T> ReadList<T>(ReadOnlySpan<byte> json, string? envelope, JsonReadFunc<T> item)
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
                return capture ? RawJsonItems<T>.Empty : new List<T>();
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
            return capture ? WithRawJson(json, ref items, ref ranges) : items.ToList();
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

    /// <summary>
    /// The items with their JSON, built once: the items' exact-size array, one copy of the bytes from the
    /// first item's start to the last one's end, and each item's range in the body.
    /// </summary>
    private static RawJsonItems<T> WithRawJson<T>(ReadOnlySpan<byte> json, ref ItemBuffer<T> items, ref ItemBuffer<(int Start, int End)> ranges)
    {
        if (items.Count == 0)
        {
            return RawJsonItems<T>.Empty;
        }

        var bounds = ranges.ToArray();
        var origin = bounds[0].Start;
        return new RawJsonItems<T>(items.ToArray(), json[origin..bounds[^1].End].ToArray(), bounds, origin);
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
