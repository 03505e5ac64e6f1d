using System.Buffers;

namespace EventsBindings.Runtime;

/// <summary>
/// A response body read into an <see cref="ArrayPool{T}"/> buffer (sized from Content-Length when the
/// server sends it, grown otherwise) instead of a fresh array per response: a page of thousands of events
/// is a multi-megabyte body, which as a fresh array would be a large-object-heap allocation per page.
/// The body is parsed from the buffer and the buffer returned (cleared: bodies can hold tokens) afterwards.
/// </summary>
internal readonly struct PooledBody
{
    private const int InitialSize = 16 * 1024;

    private readonly BodyBuffers _pool;
    private readonly byte[] _buffer;
    private readonly int _length;

    private PooledBody(BodyBuffers pool, byte[] buffer, int length)
    {
        _pool = pool;
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public static async ValueTask<PooledBody> ReadAsync(HttpContent content, BodyBuffers pool, CancellationToken token)
    {
        var declared = content.Headers.ContentLength;

        // One byte more than declared, so that the read that finds the end does not have to grow the buffer.
        var buffer = pool.Rent(declared is > 0 and < int.MaxValue - 64 ? (int)declared.Value + 1 : InitialSize);
        var length = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length >= Array.MaxLength)
                        {
                            throw new HttpRequestException($"The response body exceeds {Array.MaxLength} bytes.");
                        }

                        var larger = pool.Rent((int)Math.Min((long)length * 2, Array.MaxLength));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        pool.Return(buffer, length);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }

            return new PooledBody(pool, buffer, length);
        }
        catch
        {
            pool.Return(buffer, length);
            throw;
        }
    }

    public void Return() => _pool.Return(_buffer, _length);
}

/// <summary>
/// Body buffers of one pipeline: one spare kept between requests (a paged enumeration reuses the same
/// buffer page after page, whichever thread its continuations run on), others from
/// <see cref="ArrayPool{T}.Shared"/>. The spare stays with the pipeline: one buffer of the largest recent
/// body, rounded up to a power of two.
/// </summary>
internal sealed class BodyBuffers
{
    private byte[]? _spare;

    public byte[] Rent(int minimum)
    {
        var spare = Interlocked.Exchange(ref _spare, null);
        if (spare is not null)
        {
            if (spare.Length >= minimum)
            {
                return spare;
            }

            ArrayPool<byte>.Shared.Return(spare);
        }

        return ArrayPool<byte>.Shared.Rent(minimum);
    }

    /// <summary>Clears the used part (bodies can hold tokens) and keeps or pools the buffer.</summary>
    public void Return(byte[] buffer, int used)
    {
        buffer.AsSpan(0, used).Clear();
        var previous = Interlocked.Exchange(ref _spare, buffer);
        if (previous is not null)
        {
            // Keep the larger of the two as the spare.
            if (previous.Length > buffer.Length && Interlocked.CompareExchange(ref _spare, previous, buffer) == buffer)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            else
            {
                ArrayPool<byte>.Shared.Return(previous);
            }
        }
    }
}
