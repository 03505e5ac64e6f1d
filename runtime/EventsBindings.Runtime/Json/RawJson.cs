using System.Collections;

namespace EventsBindings.Runtime.Json;

/// <summary>Items that carry the JSON text each was parsed from, byte for byte as the server sent it.</summary>
public interface IRawJsonItems
{
    /// <summary>The original JSON of the item at <paramref name="index"/>, or empty when it is not known.</summary>
    /// <param name="index">The item's index.</param>
    /// <returns>The UTF-8 bytes of the item's JSON value, without surrounding whitespace.</returns>
    ReadOnlyMemory<byte> GetRawJson(int index);
}

/// <summary>
/// An immutable list of items, each with the original JSON it was parsed from.
/// <see cref="JsonPayload.ReadList{T}"/> returns one inside a <see cref="RawJsonCapture"/> scope. It holds the
/// items, one copy of the bytes they span and each item's range in those bytes, all fixed when it is built, so
/// an item and its JSON cannot fall out of step. To filter or reorder, index into it and keep the index.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class RawJsonItems<T> : IReadOnlyList<T>, IRawJsonItems, IJsonReadReport
{
    private readonly T[] _items;
    private readonly byte[] _json;
    private readonly (int Start, int End)[] _ranges;
    private readonly int _origin;

    /// <summary>Takes ownership of the arrays; <paramref name="ranges"/> are offsets of the body, <paramref name="json"/> starts at <paramref name="origin"/>.</summary>
    internal RawJsonItems(T[] items, byte[] json, (int Start, int End)[] ranges, int origin, IReadOnlyList<JsonDrift>? drift = null, IReadOnlyList<JsonRejectedItem>? rejected = null)
    {
        _items = items;
        _json = json;
        _ranges = ranges;
        _origin = origin;
        Drift = drift ?? System.Array.Empty<JsonDrift>();
        Rejected = rejected ?? System.Array.Empty<JsonRejectedItem>();
    }

    /// <summary>No items.</summary>
    internal static RawJsonItems<T> Empty { get; } = new(System.Array.Empty<T>(), System.Array.Empty<byte>(), System.Array.Empty<(int, int)>(), 0);

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public IReadOnlyList<JsonDrift> Drift { get; }

    /// <inheritdoc />
    public IReadOnlyList<JsonRejectedItem> Rejected { get; }

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <summary>The original JSON of the item at <paramref name="index"/>.</summary>
    /// <param name="index">The item's index.</param>
    /// <returns>The UTF-8 bytes of the item's JSON value as sent, without surrounding whitespace.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an item's index.</exception>
    public ReadOnlyMemory<byte> GetRawJson(int index)
    {
        if ((uint)index >= (uint)_items.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "Not an item's index.");
        }

        var (start, end) = _ranges[index];
        return new ReadOnlyMemory<byte>(_json, start - _origin, end - start);
    }

    /// <summary>Enumerates the items.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Opts in to keeping each list item's original JSON: while a scope is open (in this asynchronous flow),
/// <see cref="JsonPayload.ReadList{T}"/> records where each item lies in the body and returns a
/// <see cref="RawJsonItems{T}"/> holding one copy of those bytes. Outside a scope nothing is recorded or copied.
/// </summary>
/// <example>
/// <code>
/// using (RawJsonCapture.Begin())
/// {
///     await foreach (var page in client.GetEventsPagesAsync())
///     {
///         var raw = page.RawJson!.GetRawJson(0); // the first event as the server sent it
///     }
/// }
/// </code>
/// </example>
public static class RawJsonCapture
{
    private static readonly AsyncLocal<bool> Active = new();

    /// <summary>Whether a scope is open in this asynchronous flow.</summary>
    public static bool IsActive => Active.Value;

    /// <summary>Opens a scope; disposing it restores the previous state.</summary>
    /// <returns>The scope.</returns>
    public static IDisposable Begin()
    {
        var scope = new Scope(Active.Value);
        Active.Value = true;
        return scope;
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        public void Dispose() => Active.Value = previous;
    }
}
