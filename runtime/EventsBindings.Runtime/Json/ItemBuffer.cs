using System.Buffers;
using System.Runtime.CompilerServices;

namespace EventsBindings.Runtime.Json;

/// <summary>
/// Collects the items of a JSON array, then copies them once into a collection of exactly the right
/// size: no growth garbage (a <see cref="List{T}"/> that doubles leaves about twice the final size
/// behind). The first <see cref="InlineCount"/> items are held inside the struct itself, so the small
/// arrays events are full of (tags, groups, roles) never touch the pool; larger ones continue in pooled
/// arrays. A mutable struct: keep it in a local and never copy it.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal struct ItemBuffer<T>
{
    /// <summary>Items kept in the struct before the pool is used.</summary>
    internal const int InlineCount = 8;

    private InlineItems _inline;
    private T[]? _items;
    private int _count;

    /// <summary>Items added so far.</summary>
    public readonly int Count => _count;

    /// <summary>Adds an item.</summary>
    public void Add(T item)
    {
        if (_items is null)
        {
            if (_count < InlineCount)
            {
                _inline[_count++] = item;
                return;
            }

            _items = ArrayPool<T>.Shared.Rent(InlineCount * 4);
            ((ReadOnlySpan<T>)_inline).CopyTo(_items);
            _inline = default;
        }
        else if (_count == _items.Length)
        {
            var bigger = ArrayPool<T>.Shared.Rent(_items.Length * 2);
            Array.Copy(_items, bigger, _count);
            Return(_items);
            _items = bigger;
        }

        _items[_count++] = item;
    }

    /// <summary>The items as an exact-size array; returns the pooled storage.</summary>
    public T[] ToArray()
    {
        if (_count == 0)
        {
            return System.Array.Empty<T>();
        }

        if (_items is null)
        {
            return ((ReadOnlySpan<T>)_inline)[.._count].ToArray();
        }

        var result = _items.AsSpan(0, _count).ToArray();
        Return(_items);
        _items = null;
        return result;
    }

    /// <summary>The items as a list of exactly their capacity; returns the pooled storage.</summary>
    public List<T> ToList()
    {
        var list = new List<T>(_count);
        if (_items is null)
        {
            list.AddRange(((ReadOnlySpan<T>)_inline)[.._count]);
        }
        else
        {
            list.AddRange(_items.AsSpan(0, _count));
            Return(_items);
            _items = null;
        }

        return list;
    }

    private static void Return(T[] array) => ArrayPool<T>.Shared.Return(array, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());

    [InlineArray(InlineCount)]
    private struct InlineItems
    {
        private T _first;
    }
}
