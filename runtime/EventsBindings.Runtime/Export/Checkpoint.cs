using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventsBindings.Runtime.Export;

/// <summary>An id seen near the cursor, with the position (timestamp) it was seen at; used to drop re-read items.</summary>
/// <param name="Id">The item's id.</param>
/// <param name="Position">The item's cursor position (for a time cursor: epoch milliseconds).</param>
public sealed record SyncMark(string Id, long Position);

/// <summary>Where an incremental sync stands: the cursor position and the ids that the next run may re-read.</summary>
public sealed class SyncCursor
{
    /// <summary>The cursor at the very beginning (nothing exported yet).</summary>
    public static SyncCursor Start { get; } = new(null, Array.Empty<SyncMark>());

    /// <summary>Creates a cursor.</summary>
    /// <param name="position">The position: for an id cursor the next id to read, for a time cursor the highest timestamp delivered (epoch ms); null at the start.</param>
    /// <param name="recent">Ids the next run may read again and must drop (a time cursor's overlap window).</param>
    public SyncCursor(long? position, IReadOnlyList<SyncMark> recent)
    {
        ArgumentNullException.ThrowIfNull(recent);
        Position = position;
        Recent = recent;
    }

    /// <summary>
    /// A next-link cursor: the link (URL or the server's opaque token) to fetch next, or null to start with the
    /// first request; <paramref name="recent"/> are ids at that link already delivered (the last page, when it named no next page).
    /// </summary>
    /// <param name="link">The next link, or null at the start.</param>
    /// <param name="recent">Ids the next run reads again and must drop.</param>
    /// <returns>The cursor.</returns>
    public static SyncCursor AtLink(string? link, IReadOnlyList<SyncMark> recent) => new(null, recent) { Link = link };

    /// <summary>The position, or null at the start.</summary>
    public long? Position { get; }

    /// <summary>A next-link sync: the link (or opaque token) the next run fetches first; null for the other strategies and at the start.</summary>
    public string? Link { get; private init; }

    /// <summary>Ids the next run may read again and must drop.</summary>
    public IReadOnlyList<SyncMark> Recent { get; }

    /// <inheritdoc />
    public override string ToString() => Link is { } link ? "link " + link : Position is { } p ? p.ToString(CultureInfo.InvariantCulture) : "start";
}

/// <summary>
/// What a <see cref="CheckpointedExport{T}"/> persists, as a small JSON document:
/// <c>{"format":1,"strategy":"idCursor","position":42,"recent":[{"id":"…","at":…}],"pending":["…"]}</c>
/// (a next-link sync adds <c>"link":"…"</c>, the next link or token to fetch first).
/// <see cref="Pending"/> lists the ids of a page that was being handed to the sink: written before the
/// delivery, cleared (together with the advanced cursor) after the sink acknowledged it.
/// </summary>
public sealed class ExportCheckpoint
{
    /// <summary>Creates a checkpoint.</summary>
    /// <param name="strategy">The sync strategy that wrote it (<c>idCursor</c>, <c>timeCursor</c>).</param>
    /// <param name="cursor">The committed cursor.</param>
    /// <param name="pending">The ids of a page whose delivery started but was not acknowledged yet; null when none.</param>
    public ExportCheckpoint(string strategy, SyncCursor cursor, IReadOnlyList<string>? pending)
        : this(strategy, cursor, pending, null)
    {
    }

    /// <summary>Creates a checkpoint that also carries ids the sink holds beyond the cursor.</summary>
    /// <param name="strategy">The sync strategy that wrote it (<c>idCursor</c>, <c>timeCursor</c>).</param>
    /// <param name="cursor">The committed cursor.</param>
    /// <param name="pending">The ids of a page whose delivery started but was not acknowledged yet; null when none.</param>
    /// <param name="delivered">Ids the sink is known to hold that <paramref name="cursor"/> does not cover yet; null or empty when none.</param>
    public ExportCheckpoint(string strategy, SyncCursor cursor, IReadOnlyList<string>? pending, IReadOnlyCollection<string>? delivered)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(cursor);
        Strategy = strategy;
        Cursor = cursor;
        Pending = pending;
        Delivered = delivered is { Count: > 0 } ? delivered.ToArray() : Array.Empty<string>();
    }

    /// <summary>The sync strategy that wrote it.</summary>
    public string Strategy { get; }

    /// <summary>The committed cursor.</summary>
    public SyncCursor Cursor { get; }

    /// <summary>Ids of a page being delivered when the checkpoint was written; null when no delivery was in flight.</summary>
    public IReadOnlyList<string>? Pending { get; }

    /// <summary>
    /// Ids the sink is known to hold that the cursor does not cover yet: found by recovering an interrupted
    /// delivery, and kept until a committed page covers them (a run interrupted again before re-reading them
    /// must still not deliver them twice). Empty when none.
    /// </summary>
    public IReadOnlyList<string> Delivered { get; }

    /// <summary>Serializes the checkpoint.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("format", 1);
            w.WriteString("strategy", Strategy);
            if (Cursor.Position is { } p)
            {
                w.WriteNumber("position", p);
            }
            else
            {
                w.WriteNull("position");
            }

            if (Cursor.Link is { } link)
            {
                w.WriteString("link", link);
            }

            w.WriteStartArray("recent");
            foreach (var m in Cursor.Recent)
            {
                w.WriteStartObject();
                w.WriteString("id", m.Id);
                w.WriteNumber("at", m.Position);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (Pending is not null)
            {
                w.WriteStartArray("pending");
                foreach (var id in Pending)
                {
                    w.WriteStringValue(id);
                }

                w.WriteEndArray();
            }

            if (Delivered.Count > 0)
            {
                w.WriteStartArray("delivered");
                foreach (var id in Delivered)
                {
                    w.WriteStringValue(id);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses a checkpoint.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="FormatException">The text is not a checkpoint of this format.</exception>
    public static ExportCheckpoint Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetInt32() != 1)
            {
                throw new FormatException("The checkpoint is not of format 1.");
            }

            var strategy = root.GetProperty("strategy").GetString() ?? throw new FormatException("The checkpoint has no strategy.");
            long? position = root.TryGetProperty("position", out var pos) && pos.ValueKind == JsonValueKind.Number ? pos.GetInt64() : null;
            var recent = new List<SyncMark>();
            if (root.TryGetProperty("recent", out var rec) && rec.ValueKind == JsonValueKind.Array)
            {
                foreach (var m in rec.EnumerateArray())
                {
                    recent.Add(new SyncMark(m.GetProperty("id").GetString()!, m.GetProperty("at").GetInt64()));
                }
            }

            List<string>? pending = null;
            if (root.TryGetProperty("pending", out var pend) && pend.ValueKind == JsonValueKind.Array)
            {
                pending = new List<string>();
                foreach (var id in pend.EnumerateArray())
                {
                    pending.Add(id.GetString()!);
                }
            }

            var delivered = new List<string>();
            if (root.TryGetProperty("delivered", out var held) && held.ValueKind == JsonValueKind.Array)
            {
                foreach (var id in held.EnumerateArray())
                {
                    delivered.Add(id.GetString()!);
                }
            }

            var link = root.TryGetProperty("link", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            var cursor = link is not null ? SyncCursor.AtLink(link, recent) : new SyncCursor(position, recent);
            return new ExportCheckpoint(strategy, cursor, pending, delivered);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException("The checkpoint is corrupt: " + ex.Message, ex);
        }
    }
}
