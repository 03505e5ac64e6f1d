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
/// A list of items, each with the original JSON it was parsed from. <see cref="JsonPayload.ReadList{T}"/>
/// returns one inside a <see cref="RawJsonCapture"/> scope. The raw JSON belongs to the index an item was
/// added at with <see cref="Add(T, ReadOnlyMemory{byte})"/>; items added otherwise have none.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class RawJsonList<T> : List<T>, IRawJsonItems
{
    private readonly List<ReadOnlyMemory<byte>> _raw;

    /// <summary>Creates an empty list.</summary>
    /// <param name="capacity">The expected number of items.</param>
    public RawJsonList(int capacity)
        : base(capacity)
    {
        _raw = new List<ReadOnlyMemory<byte>>(capacity);
    }

    /// <summary>Adds an item with its original JSON.</summary>
    /// <param name="item">The item.</param>
    /// <param name="rawJson">The JSON it was parsed from.</param>
    public void Add(T item, ReadOnlyMemory<byte> rawJson)
    {
        // Keep the raw JSON aligned with the item's index even if items were added without it.
        while (_raw.Count < Count)
        {
            _raw.Add(default);
        }

        Add(item);
        _raw.Add(rawJson);
    }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> GetRawJson(int index) => (uint)index < (uint)_raw.Count && index < Count ? _raw[index] : default;
}

/// <summary>
/// Opts in to keeping each list item's original JSON: while a scope is open (in this asynchronous flow),
/// <see cref="JsonPayload.ReadList{T}"/> records where each item lies in the body and returns a
/// <see cref="RawJsonList{T}"/> holding one copy of those bytes. Outside a scope nothing is recorded or copied.
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
