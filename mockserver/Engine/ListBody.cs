using System.Buffers;
using System.IO.Pipelines;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Engine;

/// <summary>
/// A list answer (envelope, <c>[</c>, the items' stored JSON separated by commas, <c>]</c>) written straight
/// into the response pipe, a window at a time. A page of thousands of items is megabytes; assembling it in
/// one array cost either a large-object-heap allocation per request or, pooled, a pool holding several
/// such arrays per thread for the life of the process (the 50-client soak saw the heap climb by ~100 MB).
/// Written this way, a response holds at most <see cref="FlushEvery"/> bytes of the pipe, whatever the page size.
/// </summary>
internal sealed class ListBody : IDisposable
{
    /// <summary>
    /// Bytes written between flushes: what one response may hold in the pipe's pooled blocks before the
    /// socket takes it. 64 KB cost a 5 MB page ~2 ms more in flush round trips; 1 MB stays bounded.
    /// </summary>
    private const int FlushEvery = 1024 * 1024;

    /// <summary>Items up to this size are written through one span of the pipe (its blocks are 4 KB).</summary>
    private const int SmallWrite = 2048;

    private static readonly byte[] Comma = ","u8.ToArray();
    private static readonly byte[] Open = "["u8.ToArray();
    private static readonly byte[] Close = "]"u8.ToArray();
    private static readonly byte[] CloseEnvelope = "]}"u8.ToArray();

    private readonly byte[] _prefix;
    private readonly byte[] _close;
    private readonly int _count;
    private ReadOnlyMemory<byte>[]? _items;

    /// <summary>Looks up each item's JSON once (projections included) and sums the length for Content-Length.</summary>
    public ListBody(ApiRuntime api, ItemStore store, EndpointSpec endpoint, List<int> seqs, byte[] envelopePrefix)
        : this(api, store, endpoint, seqs, envelopePrefix, null)
    {
    }

    /// <summary>
    /// A list answer with more members of the envelope object after the items (<paramref name="envelopeSuffix"/>,
    /// e.g. <c>,"links":{"next":"…"}</c>: a body-field next link); only with an envelope.
    /// </summary>
    public ListBody(ApiRuntime api, ItemStore store, EndpointSpec endpoint, List<int> seqs, byte[] envelopePrefix, byte[]? envelopeSuffix)
    {
        _prefix = envelopePrefix;
        _close = envelopePrefix.Length > 0 && envelopeSuffix is { Length: > 0 } suffix ? [(byte)']', .. suffix, (byte)'}'] : envelopePrefix.Length > 0 ? CloseEnvelope : Close;
        _count = seqs.Count;
        _items = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(Math.Max(1, _count));
        long length = _prefix.Length + _close.Length + Open.Length + Math.Max(0, _count - 1);
        for (var i = 0; i < _count; i++)
        {
            _items[i] = api.RawFor(store, endpoint, seqs[i]);
            length += _items[i].Length;
        }

        Length = length <= int.MaxValue ? (int)length : throw new InvalidOperationException($"A page of {length} bytes is too large to answer; ask for fewer items.");
    }

    /// <summary>The body's length in bytes.</summary>
    public int Length { get; }

    /// <summary>Writes the first <paramref name="limit"/> bytes of the body (all of it, or a truncated part for a fault).</summary>
    public async ValueTask WriteAsync(PipeWriter writer, int limit, CancellationToken cancellationToken)
    {
        int next = -1, left = limit;
        while (!WriteSome(writer, FlushEvery, ref next, ref left))
        {
            var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole body in one array (for faults that rewrite it).</summary>
    public byte[] ToArray()
    {
        var buffer = new ArrayBufferWriter<byte>(Length);
        int next = -1, left = Length;
        WriteSome(buffer, int.MaxValue, ref next, ref left);
        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _items, null) is { } items)
        {
            // Cleared: the slots reference the store's item memory.
            ArrayPool<ReadOnlyMemory<byte>>.Shared.Return(items, clearArray: true);
        }
    }

    /// <summary>
    /// Writes the body on from item <paramref name="next"/> (-1: from the start) until about
    /// <paramref name="budget"/> bytes are written or <paramref name="left"/> runs out; true when it is done.
    /// </summary>
    private bool WriteSome(IBufferWriter<byte> writer, int budget, ref int next, ref int left)
    {
        var items = _items ?? throw new ObjectDisposedException(nameof(ListBody));
        var written = 0;
        if (next < 0)
        {
            written += Put(writer, _prefix, ref left) + Put(writer, Open, ref left);
            next = 0;
        }

        for (; next < _count && left > 0 && written < budget; next++)
        {
            // A comma and the item in one span when it fits a pipe block: one call per item, not two.
            written += PutItem(writer, next > 0, items[next].Span, ref left);
        }

        if (next < _count && left > 0)
        {
            return false;
        }

        Put(writer, _close, ref left);
        return true;
    }

    private static int Put(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes, ref int left)
    {
        var n = Math.Min(bytes.Length, left);
        writer.Write(bytes[..n]);
        left -= n;
        return n;
    }

    private static int PutItem(IBufferWriter<byte> writer, bool comma, ReadOnlySpan<byte> item, ref int left)
    {
        var size = item.Length + (comma ? 1 : 0);
        if (size > left || size > SmallWrite)
        {
            return (comma ? Put(writer, Comma, ref left) : 0) + Put(writer, item, ref left);
        }

        var span = writer.GetSpan(size);
        if (comma)
        {
            span[0] = (byte)',';
        }

        item.CopyTo(span[(comma ? 1 : 0)..]);
        writer.Advance(size);
        left -= size;
        return size;
    }
}
