namespace EventsBindings.MockServer.Data;

/// <summary>
/// The extracted values of one field, compactly: a kind byte and a 64-bit number per item, and a
/// text reference only for columns that hold text (equal texts share one string). Immutable once
/// published; reads rebuild the <see cref="Cell"/> on the fly.
/// </summary>
internal sealed class Column
{
    private readonly byte[] _kinds;
    private readonly long[] _numbers;
    private readonly string?[]? _texts;

    internal Column(byte[] kinds, long[] numbers, string?[]? texts, int count)
    {
        _kinds = kinds;
        _numbers = numbers;
        _texts = texts;
        Count = count;
    }

    /// <summary>Number of items.</summary>
    public int Count { get; }

    /// <summary>The value of item <paramref name="seq"/>.</summary>
    public Cell this[int seq] => new((CellKind)_kinds[seq], _numbers[seq], _texts is null ? null : _texts[seq]);

    /// <summary>A growable column under construction; its arrays may be handed to a <see cref="Column"/> and then only appended past its count.</summary>
    internal sealed class Writer
    {
        private readonly Dictionary<string, string> _intern = new(StringComparer.Ordinal);
        private byte[] _kinds;
        private long[] _numbers;
        private string?[]? _texts;

        public Writer(Column? from, int capacity)
        {
            var count = from?.Count ?? 0;
            capacity = Math.Max(capacity, count);
            _kinds = new byte[capacity];
            _numbers = new long[capacity];
            if (from is not null)
            {
                Array.Copy(from._kinds, _kinds, count);
                Array.Copy(from._numbers, _numbers, count);
                if (from._texts is not null)
                {
                    _texts = new string?[capacity];
                    Array.Copy(from._texts, _texts, count);
                }
            }

            Count = count;
        }

        public int Count { get; private set; }

        public Cell this[int seq] => new((CellKind)_kinds[seq], _numbers[seq], _texts is null ? null : _texts[seq]);

        public void Add(in Cell cell)
        {
            if (Count == _kinds.Length)
            {
                var capacity = Math.Max(16, _kinds.Length * 2);
                Array.Resize(ref _kinds, capacity);
                Array.Resize(ref _numbers, capacity);
                if (_texts is not null)
                {
                    Array.Resize(ref _texts, capacity);
                }
            }

            _kinds[Count] = (byte)cell.Kind;
            _numbers[Count] = cell.Number;
            if (cell.Text is { } text)
            {
                _texts ??= new string?[_kinds.Length];
                if (_intern.Count < 65_536)
                {
                    if (_intern.TryGetValue(text, out var shared))
                    {
                        text = shared;
                    }
                    else
                    {
                        _intern.Add(text, text);
                    }
                }

                _texts[Count] = text;
            }

            Count++;
        }

        public Column Build() => new(_kinds, _numbers, _texts, Count);
    }
}
