using System.Buffers.Binary;

namespace Amlfs.Parquet.Training;

/// <summary>
/// A batch of a text column's values as UTF-8 bytes, one per row, null or not: a page of
/// <see cref="ColumnChunkPages"/> (slices of the page or of its dictionary, nothing copied), or a whole column chunk
/// that Parquet.Net read. Reused from batch to batch; valid until the next fill.
/// </summary>
internal sealed class TextValues
{
    private byte[] _data = [];
    private int[] _starts = [];
    private int[] _lengths = [];
    private int[] _indices = [];
    private int[] _entryStarts = [];
    private int[] _entryLengths = [];
    private ColumnChunkPages? _dictionaryOf;
    private int _dictionaryVersion;

    /// <summary>Rows in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Whether row <paramref name="i"/> is null.</summary>
    public bool IsNull(int i) => _lengths[i] < 0;

    /// <summary>The UTF-8 bytes of row <paramref name="i"/>, which is not null.</summary>
    public ReadOnlySpan<byte> this[int i] => _data.AsSpan(_starts[i], _lengths[i]);

    /// <summary>The longest value of the batch, in bytes.</summary>
    public int MaxLength { get; private set; }

    /// <summary>The current page of <paramref name="pages"/>, a BYTE_ARRAY column.</summary>
    public void Fill(ColumnChunkPages pages)
    {
        Reserve(pages.Count);
        var levels = pages.Levels;
        var max = 0;
        if (pages.DictionaryEncoded)
        {
            var dictionary = pages.Dictionary;
            if (!ReferenceEquals(_dictionaryOf, pages) || _dictionaryVersion != pages.DictionaryVersion)
            {
                _entryStarts = Grown(_entryStarts, pages.DictionaryCount);
                _entryLengths = Grown(_entryLengths, pages.DictionaryCount);
                Scan(dictionary, pages.DictionaryCount, _entryStarts, _entryLengths);
                _dictionaryOf = pages;
                _dictionaryVersion = pages.DictionaryVersion;
            }

            _indices = Grown(_indices, pages.Present);
            pages.ReadIndices(_indices);
            _data = dictionary.Array!;
            var k = 0;
            for (var i = 0; i < pages.Count; i++)
            {
                if (levels.Length > 0 && levels[i] == 0)
                {
                    _lengths[i] = -1;
                    continue;
                }

                var index = _indices[k++];
                _starts[i] = _entryStarts[index];
                _lengths[i] = _entryLengths[index];
                max = Math.Max(max, _lengths[i]);
            }
        }
        else
        {
            var values = pages.Values;
            _data = values.Array!;
            var p = values.Offset;
            var end = values.Offset + values.Count;
            for (var i = 0; i < pages.Count; i++)
            {
                if (levels.Length > 0 && levels[i] == 0)
                {
                    _lengths[i] = -1;
                    continue;
                }

                (_starts[i], _lengths[i]) = Next(_data, ref p, end);
                max = Math.Max(max, _lengths[i]);
            }
        }

        Count = pages.Count;
        MaxLength = max;
    }

    /// <summary>Values that Parquet.Net read, copied into one buffer.</summary>
    public void Fill(ReadOnlyMemory<byte>?[] values)
    {
        Reserve(values.Length);
        var total = 0L;
        foreach (var value in values)
            total += value?.Length ?? 0;
        _data = new byte[checked((int)total)];
        _dictionaryOf = null;
        var p = 0;
        var max = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value)
            {
                _lengths[i] = -1;
                continue;
            }

            value.Span.CopyTo(_data.AsSpan(p));
            _starts[i] = p;
            _lengths[i] = value.Length;
            p += value.Length;
            max = Math.Max(max, value.Length);
        }

        Count = values.Length;
        MaxLength = max;
    }

    private void Reserve(int count)
    {
        _starts = Grown(_starts, count);
        _lengths = Grown(_lengths, count);
    }

    private static int[] Grown(int[] array, int count) => array.Length >= count ? array : new int[Math.Max(count, array.Length * 2)];

    /// <summary>PLAIN BYTE_ARRAY values: each a 4-byte little-endian length, then that many bytes.</summary>
    private static void Scan(ArraySegment<byte> values, int count, int[] starts, int[] lengths)
    {
        var p = values.Offset;
        var end = values.Offset + values.Count;
        for (var i = 0; i < count; i++)
            (starts[i], lengths[i]) = Next(values.Array!, ref p, end);
    }

    private static (int Start, int Length) Next(byte[] data, ref int p, int end)
    {
        if (end - p < 4)
            throw new InvalidDataException("a page ends before its values");
        var length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(p));
        p += 4;
        if (length < 0 || length > end - p)
            throw new InvalidDataException("a value runs past the end of its page");
        var start = p;
        p += length;
        return (start, length);
    }
}
