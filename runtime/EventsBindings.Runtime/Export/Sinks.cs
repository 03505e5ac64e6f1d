using System.Buffers;
using System.Text.Json;
using EventsBindings.Runtime.Json;

namespace EventsBindings.Runtime.Export;

/// <summary>
/// Receives the pages of a <see cref="CheckpointedExport{T}"/>. A page counts as delivered (acknowledged)
/// when <see cref="WriteAsync"/> completes, so it must complete only once the items are durable.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public interface IEventSink<T>
{
    /// <summary>Stores a page durably; completing is the acknowledgement.</summary>
    /// <param name="items">The items, in order; never empty.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes once the items are durable.</returns>
    Task WriteAsync(IReadOnlyList<T> items, CancellationToken cancellationToken);

    /// <summary>
    /// After an interrupted delivery: which of these ids (those of the page whose delivery was in flight)
    /// the sink durably holds. The export drops them from the page it fetches again, so that each item is
    /// delivered once. A sink that cannot tell returns an empty set (the page is then delivered again:
    /// at-least-once, bounded to one page).
    /// </summary>
    /// <param name="candidateIds">The ids of the interrupted page.</param>
    /// <param name="idOf">The export's own id of an item (so that a sink never formats ids differently).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The candidate ids that the sink holds.</returns>
    Task<IReadOnlyCollection<string>> GetDeliveredIdsAsync(IReadOnlyCollection<string> candidateIds, Func<T, string> idOf, CancellationToken cancellationToken);
}

/// <summary>
/// Appends items to a file as NDJSON (one JSON object per line), flushed to disk before a page is
/// acknowledged. Items that carry their original JSON (<see cref="IRawJsonItems"/>, as an export with
/// <see cref="ExportOptions.RawJson"/> hands them over) are written as those bytes, line breaks between
/// tokens turned into spaces; others are written by the model's writer. It answers <see cref="GetDeliveredIdsAsync"/> by reading its own tail, and it drops a
/// partial last line left by a crash in the middle of a write before reading or appending.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class NdjsonFileSink<T> : IEventSink<T>, IRejectedItemSink
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly JsonWriteFunc<T> _write;
    private readonly JsonReadFunc<T> _read;

    /// <summary>Creates a sink.</summary>
    /// <param name="path">The NDJSON file (created when missing; appended to otherwise).</param>
    /// <param name="write">Writes one item as JSON (for a generated model: <see cref="ContractJson.Write{T}"/>, or use <see cref="NdjsonFileSink.Create{T}"/>).</param>
    /// <param name="read">Reads one item back from a line (for a generated model: <see cref="ContractJson.Read{T}"/>), to report the ids it holds.</param>
    public NdjsonFileSink(string path, JsonWriteFunc<T> write, JsonReadFunc<T> read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(read);
        Path = System.IO.Path.GetFullPath(path);
        _write = write;
        _read = read;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Whether each page is flushed to the disk (fsync) before it is acknowledged. Default true.</summary>
    public bool FlushToDisk { get; init; } = true;

    /// <summary>
    /// Where items that could not be read at all go: beside <see cref="Path"/>, its extension replaced by
    /// <c>.rejected.ndjson</c> (<c>events.ndjson</c> → <c>events.rejected.ndjson</c>).
    /// </summary>
    public string RejectedPath => System.IO.Path.ChangeExtension(Path, ".rejected.ndjson");

    /// <inheritdoc />
    public async Task WriteRejectedAsync(IReadOnlyList<JsonRejectedItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (var item in items)
        {
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                RejectedItemLine.Write(writer, item);
            }

            buffer.Write("\n"u8);
        }

        await using var stream = new FileStream(RejectedPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (FlushToDisk)
        {
            stream.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyList<T> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        cancellationToken.ThrowIfCancellationRequested();
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, items.Count * 512));
        var raw = items as IRawJsonItems;
        for (var i = 0; i < items.Count; i++)
        {
            var json = raw is null ? default : raw.GetRawJson(i);
            if (!json.IsEmpty)
            {
                WriteOneLine(buffer, json.Span);
            }
            else
            {
                using var writer = new Utf8JsonWriter(buffer, WriterOptions);
                _write(writer, items[i]);
            }

            buffer.Write("\n"u8);
        }

        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.Asynchronous);
        DropPartialLine(stream);
        stream.Seek(0, SeekOrigin.End);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (FlushToDisk)
        {
            stream.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyCollection<string>> GetDeliveredIdsAsync(IReadOnlyCollection<string> candidateIds, Func<T, string> idOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidateIds);
        ArgumentNullException.ThrowIfNull(idOf);
        IReadOnlyCollection<string> none = Array.Empty<string>();
        if (candidateIds.Count == 0 || !File.Exists(Path))
        {
            return Task.FromResult(none);
        }

        using var stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        DropPartialLine(stream);
        var candidates = candidateIds as IReadOnlySet<string> ?? new HashSet<string>(candidateIds, StringComparer.Ordinal);
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in TailLines(stream, candidateIds.Count))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reader = new Utf8JsonReader(line);
            T item;
            try
            {
                // Tolerant: a line holds the server's JSON, drift included; only its id matters here.
                using var scope = JsonReadScope.Begin(JsonStrictness.Tolerant);
                reader.Read();
                item = _read(ref reader);
            }
            catch (Exception ex) when (ex is JsonException or JsonPayloadException)
            {
                throw new InvalidDataException($"A line near the end of {Path} is not an item this sink can read back.", ex);
            }

            var id = idOf(item);
            if (candidates.Contains(id))
            {
                held.Add(id);
            }
        }

        return Task.FromResult<IReadOnlyCollection<string>>(held);
    }

    /// <summary>
    /// Copies an item's original JSON; a line break in it can only be whitespace between tokens (JSON strings
    /// escape theirs), so it becomes a space and the item stays on one line with its meaning unchanged.
    /// </summary>
    private static void WriteOneLine(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> json)
    {
        var target = buffer.GetSpan(json.Length)[..json.Length];
        json.CopyTo(target);
        if (target.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            target.Replace((byte)'\n', (byte)' ');
            target.Replace((byte)'\r', (byte)' ');
        }

        buffer.Advance(json.Length);
    }

    /// <summary>Truncates bytes after the last newline: a line whose write a crash interrupted.</summary>
    private static void DropPartialLine(FileStream stream)
    {
        var length = stream.Length;
        if (length == 0)
        {
            return;
        }

        var one = new byte[1];
        stream.Seek(length - 1, SeekOrigin.Begin);
        if (stream.Read(one, 0, 1) == 1 && one[0] == (byte)'\n')
        {
            return;
        }

        var end = LastNewlineBefore(stream, length);
        stream.SetLength(end);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The position just after the last newline before <paramref name="limit"/>, or 0.</summary>
    private static long LastNewlineBefore(FileStream stream, long limit)
    {
        var buffer = new byte[64 * 1024];
        var position = limit;
        while (position > 0)
        {
            var size = (int)Math.Min(buffer.Length, position);
            position -= size;
            stream.Seek(position, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, size);
            var i = Array.LastIndexOf(buffer, (byte)'\n', size - 1, size);
            if (i >= 0)
            {
                return position + i + 1;
            }
        }

        return 0;
    }

    /// <summary>The last <paramref name="count"/> non-empty lines of a file that ends with a newline.</summary>
    private static List<byte[]> TailLines(FileStream stream, int count)
    {
        var lines = new List<byte[]>(count);
        var end = stream.Length;
        while (lines.Count < count && end > 0)
        {
            // end is just after a newline; the line is [start, end - 1).
            var start = LastNewlineBefore(stream, end - 1);
            var length = (int)(end - 1 - start);
            if (length > 0)
            {
                var line = new byte[length];
                stream.Seek(start, SeekOrigin.Begin);
                stream.ReadExactly(line, 0, length);
                lines.Add(line);
            }

            end = start;
        }

        return lines;
    }
}

/// <summary>Creates <see cref="NdjsonFileSink{T}"/>s of generated models.</summary>
public static class NdjsonFileSink
{
    /// <summary>Creates a sink of a generated model, written and read back by the contract's own JSON code.</summary>
    /// <typeparam name="T">The generated item model.</typeparam>
    /// <param name="path">The NDJSON file (created when missing; appended to otherwise).</param>
    /// <returns>The sink.</returns>
    public static NdjsonFileSink<T> Create<T>(string path)
        where T : IContractJson<T> => new(path, ContractJson.Write, ContractJson.Read<T>);
}

/// <summary>
/// A dead-letter destination for list items that could not be read at all. A checkpointed export hands it a
/// page's rejected items before the page's checkpoint is committed; <see cref="NdjsonFileSink{T}"/> is one
/// (it writes them beside its file).
/// </summary>
public interface IRejectedItemSink
{
    /// <summary>Stores rejected items durably.</summary>
    /// <param name="items">The items, in page order; never empty.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes once they are stored.</returns>
    Task WriteRejectedAsync(IReadOnlyList<JsonRejectedItem> items, CancellationToken cancellationToken);
}

/// <summary>The NDJSON line of a rejected item: where it was, why, and the item as sent.</summary>
internal static class RejectedItemLine
{
    public static void Write(Utf8JsonWriter w, JsonRejectedItem item)
    {
        w.WriteStartObject();
        if (item.Endpoint is not null)
        {
            w.WriteString("endpoint", item.Endpoint);
        }

        w.WriteString("path", item.Path);
        w.WriteNumber("index", item.Index);
        w.WriteNumber("offset", item.Offset);
        w.WriteString("problem", item.Problem);
        w.WritePropertyName("item");
        using (var doc = JsonDocument.Parse(item.Json))
        {
            doc.RootElement.WriteTo(w);
        }

        w.WriteEndObject();
    }
}
