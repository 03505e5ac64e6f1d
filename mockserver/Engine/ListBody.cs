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
/// Written this way, a response holds no more than the pipe's window, whatever the page size.
/// </summary>
internal sealed class ListBody : IDisposable
{
    /// <summary>Bytes written between flushes: the pipe's back-pressure then bounds what is buffered.</summary>
    private const int FlushEvery = 64 * 1024;

    private static readonly byte[] Comma = ","u8.ToArray();
    private static readonly byte[] Open = "["u8.ToArray();
    private static readonly byte[] Close = "]"u8.ToArray();
    private static readonly byte[] CloseEnvelope = "]}"u8.ToArray();

    private readonly byte[] _prefix;
    private readonly int _count;
    private ReadOnlyMemory<byte>[]? _items;

    /// <summary>Looks up each item's JSON once (projections included) and sums the length for Content-Length.</summary>
    public ListBody(ApiRuntime api, ItemStore store, EndpointSpec endpoint, List<int> seqs, byte[] envelopePrefix)
    {
        _prefix = envelopePrefix;
        _count = seqs.Count;
        _items = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(Math.Max(1, _count));
        long length = _prefix.Length + (_prefix.Length > 0 ? CloseEnvelope.Length : Close.Length) + Open.Length + Math.Max(0, _count - 1);
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
        var left = limit;
        var unflushed = 0;
        foreach (var part in Parts())
        {
            var n = Math.Min(part.Length, left);
            writer.Write(part.Span[..n]);
            left -= n;
            unflushed += n;
            if (left == 0)
            {
                break;
            }

            if (unflushed >= FlushEvery)
            {
                unflushed = 0;
                var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }
            }
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole body in one array (for faults that rewrite it).</summary>
    public byte[] ToArray()
    {
        var buffer = new ArrayBufferWriter<byte>(Length);
        foreach (var part in Parts())
        {
            buffer.Write(part.Span);
        }

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

    /// <summary>The body's pieces in order: the envelope's start, <c>[</c>, items with commas between them, the close.</summary>
    private IEnumerable<ReadOnlyMemory<byte>> Parts()
    {
        var items = _items ?? throw new ObjectDisposedException(nameof(ListBody));
        yield return _prefix;
        yield return Open;
        for (var i = 0; i < _count; i++)
        {
            if (i > 0)
            {
                yield return Comma;
            }

            yield return items[i];
        }

        yield return _prefix.Length > 0 ? CloseEnvelope : Close;
    }
}
