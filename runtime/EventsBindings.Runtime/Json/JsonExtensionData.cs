using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>JSON properties a model does not declare, kept in arrival order and written back unchanged.</summary>
public sealed class JsonExtensionData : IReadOnlyCollection<KeyValuePair<string, JsonElement>>
{
    private readonly List<KeyValuePair<string, JsonElement>> _items = new();

    /// <summary>The number of properties.</summary>
    public int Count => _items.Count;

    /// <summary>
    /// The whole object's JSON as the server sent it, when the object departed from the contract and was read
    /// tolerantly; null otherwise. Held here rather than in a field of every model, so that objects that fit
    /// the contract pay nothing for it.
    /// </summary>
    public JsonElement? Original { get; internal set; }

    /// <summary>The value of a property (the last one when a name repeats).</summary>
    /// <param name="name">The property name.</param>
    /// <exception cref="KeyNotFoundException">No such property.</exception>
    public JsonElement this[string name] => TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"No additional property '{name}'.");

    /// <summary>The property at a position, in arrival order.</summary>
    /// <param name="index">The position.</param>
    public KeyValuePair<string, JsonElement> this[int index] => _items[index];

    /// <summary>Looks up a property.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>Whether it exists.</returns>
    public bool TryGetValue(string name, [MaybeNullWhen(false)] out JsonElement value)
    {
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            if (_items[i].Key == name)
            {
                value = _items[i].Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Adds a property.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value (cloned).</param>
    public void Add(string name, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(name);
        _items.Add(new KeyValuePair<string, JsonElement>(name, value.Clone()));
    }

    /// <summary>Reads the value at the reader's current token as the property <paramref name="name"/>.</summary>
    /// <param name="r">The reader, on the value's first token; left on its last token.</param>
    /// <param name="name">The property name.</param>
    public void Read(ref Utf8JsonReader r, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            _items.Add(new KeyValuePair<string, JsonElement>(name, JsonElement.ParseValue(ref r)));
        }
        catch (JsonException ex)
        {
            throw new JsonPayloadException("The value is not valid JSON", null, ex);
        }
    }

    /// <summary>Writes the properties (name and value) into the object being written.</summary>
    /// <param name="w">The writer, inside an object.</param>
    public void WriteTo(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        foreach (var (name, value) in _items)
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, JsonElement>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
