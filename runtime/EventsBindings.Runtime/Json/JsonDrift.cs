namespace EventsBindings.Runtime.Json;

/// <summary>How generated readers treat a value that does not fit the contract.</summary>
public enum JsonStrictness
{
    /// <summary>
    /// The default: a value that does not fit its declared shape never fails the item or the page. The property
    /// gets its default (or the value converted, where the conversion is unambiguous), the item keeps the
    /// server's JSON so that writing it back gives the server's value, and a <see cref="JsonDrift"/> is
    /// recorded. An item that cannot be read at all is set aside as a <see cref="JsonRejectedItem"/>.
    /// </summary>
    Tolerant,

    /// <summary>Any value that does not fit fails the read with a <see cref="JsonPayloadException"/> naming the path and field.</summary>
    Strict,
}

/// <summary>What a tolerant reader did with a value that departs from the contract.</summary>
public enum JsonDriftKind
{
    /// <summary>The value did not fit (wrong JSON type, unparsable, unlisted value of a closed enum); the property got its default.</summary>
    Defaulted,

    /// <summary>The value was converted unambiguously (a number in a string, an epoch in another unit).</summary>
    Converted,

    /// <summary>A required property was absent; the property got its default.</summary>
    Missing,

    /// <summary>The value is kept but not among the contract's values (an unlisted value of a closed enum).</summary>
    Unlisted,
}

/// <summary>
/// One departure of a payload from the contract, found by a tolerant (or, for conversions, any) reader.
/// Drift is data: on the page (<c>EventsPage.Drift</c>), in the log (one warning per path and client), in the
/// <c>eventsbindings.client.drift</c> counter and in the checkpointed export's result.
/// </summary>
/// <param name="Path">The JSON path from the body's root (<c>$.data[2].user_principal.user.groups</c>).</param>
/// <param name="Field">The contract's name of the field (<c>User.groups</c>).</param>
/// <param name="Expected">What the contract declares (<c>an array</c>).</param>
/// <param name="Got">What came (<c>null</c>, <c>a string</c>, <c>epoch seconds</c>).</param>
/// <param name="Sample">The start of the value as sent (at most 64 characters), or null when absent.</param>
/// <param name="Kind">What the reader did.</param>
public sealed record JsonDrift(string Path, string Field, string Expected, string Got, string? Sample, JsonDriftKind Kind)
{
    /// <summary>The operation and path of the request (<c>GET /events</c>), when read by a client.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The path with array indices replaced by <c>[*]</c>: the key drift is counted and logged under.</summary>
    public string PathPattern => JsonPathPattern.Of(Path);

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Endpoint is null ? string.Empty : Endpoint + " ")}{Path} ({Field}): expected {Expected}, got {Got}{(Sample is null ? string.Empty : " `" + Sample + "`")} [{Kind}]";
}

/// <summary>A list item that could not be read at all (not an object, or a model that failed); handed to a dead-letter hook.</summary>
/// <param name="Index">The item's index in the list as sent.</param>
/// <param name="Offset">The item's byte offset in the body.</param>
/// <param name="Path">The item's JSON path (<c>$.data[4]</c>).</param>
/// <param name="Problem">Why it could not be read (without the value).</param>
/// <param name="Json">The item's JSON, byte for byte as sent.</param>
public sealed record JsonRejectedItem(int Index, long Offset, string Path, string Problem, ReadOnlyMemory<byte> Json)
{
    /// <summary>The operation and path of the request (<c>GET /events</c>), when read by a client.</summary>
    public string? Endpoint { get; init; }
}

/// <summary>What reading a list found beyond its items: drift and rejected items. Lists read by <see cref="JsonPayload"/> implement it.</summary>
public interface IJsonReadReport
{
    /// <summary>The drift found, in body order; empty when the payload fits the contract.</summary>
    IReadOnlyList<JsonDrift> Drift { get; }

    /// <summary>The items set aside because they could not be read at all; empty normally.</summary>
    IReadOnlyList<JsonRejectedItem> Rejected { get; }
}

/// <summary>Reports of read lists.</summary>
public static class JsonReadReport
{
    /// <summary>The drift of a list read by <see cref="JsonPayload"/> (empty for other lists).</summary>
    /// <param name="items">The list.</param>
    /// <returns>The drift.</returns>
    public static IReadOnlyList<JsonDrift> DriftOf(object? items) => (items as IJsonReadReport)?.Drift ?? System.Array.Empty<JsonDrift>();

    /// <summary>The rejected items of a list read by <see cref="JsonPayload"/> (empty for other lists).</summary>
    /// <param name="items">The list.</param>
    /// <returns>The rejected items.</returns>
    public static IReadOnlyList<JsonRejectedItem> RejectedOf(object? items) => (items as IJsonReadReport)?.Rejected ?? System.Array.Empty<JsonRejectedItem>();

    /// <summary>How many items the server sent: the items read plus the rejected ones (what offset paging and short-page stops count).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The list.</param>
    /// <returns>The count.</returns>
    public static int SentCount<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Count + RejectedOf(items).Count;
    }
}

/// <summary>Drift of many pages summed up: one row per path pattern, kind and shape.</summary>
/// <param name="PathPattern">The JSON path with indices as <c>[*]</c>.</param>
/// <param name="Field">The contract field.</param>
/// <param name="Expected">What the contract declares.</param>
/// <param name="Got">What came.</param>
/// <param name="Kind">What the reader did.</param>
/// <param name="Count">How many values.</param>
/// <param name="FirstSample">The sample of the first one.</param>
/// <param name="Endpoint">The request of the first one.</param>
public sealed record JsonDriftSummary(string PathPattern, string Field, string Expected, string Got, JsonDriftKind Kind, long Count, string? FirstSample, string? Endpoint);

/// <summary>Sums drift records up into <see cref="JsonDriftSummary"/> rows, in order of first appearance.</summary>
public sealed class JsonDriftTally
{
    private readonly Dictionary<(string, JsonDriftKind, string, string), int> _index = new();
    private readonly List<JsonDriftSummary> _rows = new();

    /// <summary>Adds records.</summary>
    /// <param name="drift">The records.</param>
    public void Add(IEnumerable<JsonDrift> drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        foreach (var d in drift)
        {
            var key = (d.PathPattern, d.Kind, d.Expected, d.Got);
            if (_index.TryGetValue(key, out var i))
            {
                _rows[i] = _rows[i] with { Count = _rows[i].Count + 1 };
            }
            else
            {
                _index[key] = _rows.Count;
                _rows.Add(new JsonDriftSummary(key.Item1, d.Field, d.Expected, d.Got, d.Kind, 1, d.Sample, d.Endpoint));
            }
        }
    }

    /// <summary>The rows so far.</summary>
    /// <returns>A copy of the rows.</returns>
    public IReadOnlyList<JsonDriftSummary> ToList() => _rows.ToArray();
}

/// <summary>JSON path patterns: indices replaced by <c>[*]</c>.</summary>
internal static class JsonPathPattern
{
    public static string Of(string path)
    {
        if (path.IndexOf('[', StringComparison.Ordinal) < 0)
        {
            return path;
        }

        var sb = new System.Text.StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '[' && i + 1 < path.Length && char.IsAsciiDigit(path[i + 1]))
            {
                var close = path.IndexOf(']', i);
                if (close > 0)
                {
                    sb.Append("[*]");
                    i = close;
                    continue;
                }
            }

            sb.Append(path[i]);
        }

        return sb.ToString();
    }
}
