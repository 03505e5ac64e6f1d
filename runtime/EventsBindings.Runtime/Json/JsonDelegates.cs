using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>Reads a value at the reader's current token (generated converters).</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="reader">The reader, on the value's first token; left on its last token.</param>
/// <returns>The value.</returns>
public delegate T JsonReadFunc<T>(ref Utf8JsonReader reader);

/// <summary>Writes a value (generated converters).</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="writer">The writer.</param>
/// <param name="value">The value.</param>
public delegate void JsonWriteFunc<T>(Utf8JsonWriter writer, T value);
