using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventsBindings.Runtime.Json;

/// <summary>
/// A value that writes its contract's JSON without reflection: every generated model and enum implements it
/// (explicitly, so that the plumbing stays off the type's own members).
/// </summary>
public interface IContractJson
{
    /// <summary>Writes the value as its contract's JSON (a model read with drift writes the server's JSON back unchanged).</summary>
    /// <param name="writer">The writer.</param>
    void WriteJson(Utf8JsonWriter writer);
}

/// <summary>
/// A generated model or enum: reads and writes its contract's JSON without reflection. Generic code (a sink,
/// a test) reaches the generated reader and writer through it: <see cref="ContractJson.Read{T}"/>,
/// <see cref="ContractJson.Write{T}"/>, <see cref="ContractJsonConverter{T}"/>.
/// </summary>
/// <typeparam name="TSelf">The generated type.</typeparam>
public interface IContractJson<TSelf> : IContractJson
    where TSelf : IContractJson<TSelf>
{
    /// <summary>Reads a value at the reader's current token (tolerantly or strictly, as the current <see cref="JsonReadScope"/> says).</summary>
    /// <param name="reader">The reader, on the value's first token; left on its last token.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonPayloadException">The payload does not match the contract (reading strictly).</exception>
    static abstract TSelf ReadJson(ref Utf8JsonReader reader);
}

/// <summary>Reads and writes generated models and enums: the delegates that sinks and payload readers take.</summary>
public static class ContractJson
{
    /// <summary>Reads a <typeparamref name="T"/> at the reader's current token.</summary>
    /// <typeparam name="T">A generated model or enum.</typeparam>
    /// <param name="reader">The reader, on the value's first token; left on its last token.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonPayloadException">The payload does not match the contract (reading strictly).</exception>
    public static T Read<T>(ref Utf8JsonReader reader)
        where T : IContractJson<T> => T.ReadJson(ref reader);

    /// <summary>Writes a generated model or enum as its contract's JSON.</summary>
    /// <typeparam name="T">A generated model or enum.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    public static void Write<T>(Utf8JsonWriter writer, T value)
        where T : IContractJson<T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        value.WriteJson(writer);
    }

    /// <summary>Reads one <typeparamref name="T"/> from a whole UTF-8 JSON text.</summary>
    /// <typeparam name="T">A generated model or enum.</typeparam>
    /// <param name="utf8Json">The JSON text.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonPayloadException">The payload does not match the contract (reading strictly).</exception>
    public static T Parse<T>(ReadOnlySpan<byte> utf8Json)
        where T : IContractJson<T>
    {
        var reader = new Utf8JsonReader(utf8Json);
        reader.Read();
        return T.ReadJson(ref reader);
    }

    /// <summary>Writes a generated model or enum as compact UTF-8 JSON.</summary>
    /// <typeparam name="T">A generated model or enum.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The JSON text.</returns>
    public static byte[] ToUtf8Bytes<T>(T value)
        where T : IContractJson<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteJson(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>
/// The System.Text.Json converter of every generated model and enum, without reflection: each generated type
/// names it in its <see cref="JsonConverterAttribute"/>, so <see cref="JsonSerializer"/> (and a
/// <see cref="JsonSerializerContext"/>) use the contract's reader and writer with no registration.
/// </summary>
/// <typeparam name="T">A generated model or enum.</typeparam>
public sealed class ContractJsonConverter<T> : JsonConverter<T>
    where T : IContractJson<T>
{
    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => T.ReadJson(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => value.WriteJson(writer);
}
