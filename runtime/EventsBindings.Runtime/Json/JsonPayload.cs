using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>Reads whole response bodies: a list, an item or a count, bare or inside an envelope property.</summary>
public static class JsonPayload
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 };

    /// <summary>
    /// Reads a JSON array of items (a <c>null</c> payload is an empty list). Inside a
    /// <see cref="RawJsonCapture"/> scope the result is a <see cref="RawJsonItems{T}"/> that also holds each
    /// item's original JSON. Reading follows the open <see cref="JsonReadScope"/> (tolerant when none is open):
    /// tolerant reading never fails an item for a value that does not fit, and sets aside an item that cannot be
    /// read at all; the result then implements <see cref="IJsonReadReport"/> with the drift and the rejected items.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="json">The body.</param>
    /// <param name="envelope">The property that wraps the array, or null for a bare array.</param>
    /// <param name="item">Reads one item.</param>
    /// <returns>The items.</returns>
    /// <exception cref="JsonPayloadException">The body is not valid JSON or, reading strictly, does not match.</exception>
    public static IReadOnlyList<T> ReadList<T>(ReadOnlySpan<byte> json, string? envelope, JsonReadFunc<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var own = JsonReadScope.Current is null ? JsonReadScope.Begin(JsonStrictness.Tolerant) : null;
        var scope = JsonReadScope.Current!;
        var driftStart = scope.DriftCount;
        var r = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            var items = default(ItemBuffer<T>);
            var capture = RawJsonCapture.IsActive;
            var tolerant = scope.Strictness == JsonStrictness.Tolerant;
            var ranges = default(ItemBuffer<(int Start, int End)>);
            List<JsonRejectedItem>? rejected = null;
            Enter(ref r, envelope);
            if (r.TokenType == JsonTokenType.Null)
            {
                return capture ? RawJsonItems<T>.Empty : new List<T>();
            }

            if (r.TokenType != JsonTokenType.StartArray)
            {
                throw Located(new JsonPayloadException($"Expected an array, found {JsonRead.Describe(r.TokenType)}"), envelope);
            }

            var root = envelope is null ? "$" : "$" + JsonPathFinder.Segment(envelope);
            for (var index = 0; ; index++)
            {
                Next(ref r);
                if (r.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                var start = (int)r.TokenStartIndex;
                var before = r; // to skip an item that fails half-way
                var pending = scope.PendingCount;
                try
                {
                    var value = item(ref r);
                    if (scope.PendingCount > 0)
                    {
                        scope.Locate(json, start, root + JsonPathFinder.Index(index));
                    }

                    items.Add(value);
                    if (capture)
                    {
                        ranges.Add((start, (int)r.BytesConsumed));
                    }
                }
                catch (JsonPayloadException ex) when (tolerant)
                {
                    scope.DiscardPending(pending);
                    r = before;
                    r.Skip();
                    var itemJson = json[start..(int)r.BytesConsumed].ToArray();
                    (rejected ??= new()).Add(new JsonRejectedItem(index, start, root + JsonPathFinder.Index(index), ex.Message, itemJson) { Endpoint = scope.Endpoint });
                }
                catch (JsonPayloadException ex)
                {
                    throw Located(ex.WithIndex(index), envelope);
                }
                catch (JsonException ex)
                {
                    throw Located(Malformed(ex).WithIndex(index), envelope);
                }
            }

            Finish(ref r, envelope);
            var drift = scope.DriftFrom(driftStart);
            IReadOnlyList<JsonRejectedItem> rejects = rejected is null ? System.Array.Empty<JsonRejectedItem>() : rejected.ToArray();
            if (capture)
            {
                return WithRawJson(json, ref items, ref ranges, drift, rejects);
            }

            return drift.Length == 0 && rejects.Count == 0 ? items.ToList() : new ReportedItems<T>(items.ToArray(), drift, rejects);
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
        finally
        {
            own?.Dispose();
        }
    }

    /// <summary>Reads one item, following the open <see cref="JsonReadScope"/> (tolerant when none is open).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="json">The body.</param>
    /// <param name="envelope">The property that wraps the item, or null.</param>
    /// <param name="item">Reads the item.</param>
    /// <returns>The item.</returns>
    /// <exception cref="JsonPayloadException">The body is not valid JSON or does not match.</exception>
    public static T ReadItem<T>(ReadOnlySpan<byte> json, string? envelope, JsonReadFunc<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var own = JsonReadScope.Current is null ? JsonReadScope.Begin(JsonStrictness.Tolerant) : null;
        var scope = JsonReadScope.Current!;
        var r = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            Enter(ref r, envelope);
            T result;
            var start = (int)r.TokenStartIndex;
            try
            {
                result = item(ref r);
            }
            catch (JsonPayloadException ex)
            {
                throw Located(ex, envelope);
            }

            scope.Locate(json, start, envelope is null ? "$" : "$" + JsonPathFinder.Segment(envelope));
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

    /// <summary>
    /// Reads the string at a path of the body's root object (a next link or token beside the items), given as its
    /// property names: <c>["links", "next"]</c>, or <c>["@odata.nextLink"]</c> for a property whose name holds a dot
    /// (each name is matched as it is, never split); null when a step is absent, the value is null or the string is empty.
    /// </summary>
    /// <param name="json">The body.</param>
    /// <param name="steps">The property names from the root object (at least one).</param>
    /// <returns>The string, or null.</returns>
    /// <exception cref="JsonPayloadException">The value at the path is neither a string nor null.</exception>
    public static string? ReadStringAt(ReadOnlySpan<byte> json, IReadOnlyList<string> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
        {
            throw new ArgumentException("The path names at least one property.", nameof(steps));
        }

        var path = string.Join(".", steps.Select(s => s.Contains('.', StringComparison.Ordinal) ? "['" + s + "']" : s));
        var r = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var step = 0;
            while (r.Read())
            {
                if (r.TokenType == JsonTokenType.EndObject)
                {
                    return null;
                }

                var matches = r.ValueTextEquals(steps[step]);
                r.Read();
                if (!matches)
                {
                    r.Skip();
                    continue;
                }

                if (step == steps.Count - 1)
                {
                    return r.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.String => r.GetString() is { Length: > 0 } text ? text : null,
                        _ => throw new JsonPayloadException($"Expected a string or null at {path}, found {JsonRead.Describe(r.TokenType)}").WithParent(path),
                    };
                }

                if (r.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                step++;
            }

            return null;
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
    private static RawJsonItems<T> WithRawJson<T>(ReadOnlySpan<byte> json, ref ItemBuffer<T> items, ref ItemBuffer<(int Start, int End)> ranges, IReadOnlyList<JsonDrift> drift, IReadOnlyList<JsonRejectedItem> rejected)
    {
        if (items.Count == 0)
        {
            return drift.Count == 0 && rejected.Count == 0 ? RawJsonItems<T>.Empty : new RawJsonItems<T>(System.Array.Empty<T>(), System.Array.Empty<byte>(), System.Array.Empty<(int, int)>(), 0, drift, rejected);
        }

        var bounds = ranges.ToArray();
        var origin = bounds[0].Start;
        return new RawJsonItems<T>(items.ToArray(), json[origin..bounds[^1].End].ToArray(), bounds, origin, drift, rejected);
    }

    /// <summary>Items read with drift or rejected items, outside a raw-JSON capture.</summary>
    private sealed class ReportedItems<T>(T[] items, IReadOnlyList<JsonDrift> drift, IReadOnlyList<JsonRejectedItem> rejected) : IReadOnlyList<T>, IJsonReadReport
    {
        public int Count => items.Length;

        public IReadOnlyList<JsonDrift> Drift => drift;

        public IReadOnlyList<JsonRejectedItem> Rejected => rejected;

        public T this[int index] => items[index];

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => items.GetEnumerator();
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
