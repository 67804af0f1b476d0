using System.Buffers.Binary;

namespace Amlfs.Parquet.Training;

/// <summary>Whole column chunks of fixed-size values decoded from <see cref="ColumnChunkPages"/>, one value per row.</summary>
internal static class ColumnChunkValues
{
    /// <summary>
    /// An INT64 column, PLAIN or dictionary encoded, into <paramref name="target"/> (one value per row of the chunk).
    /// </summary>
    /// <exception cref="InvalidDataException">A value is null, or the chunk holds another number of rows.</exception>
    public static void ReadInt64(ColumnChunkPages pages, Span<long> target, string column)
    {
        var row = 0;
        long[] dictionary = [];
        var version = 0;
        int[] indices = [];
        while (pages.MoveNext())
        {
            if (row + pages.Count > target.Length)
                throw new InvalidDataException($"column '{column}' holds more values than its row group has rows");
            var levels = pages.Levels;
            for (var i = 0; i < levels.Length; i++)
            {
                if (levels[i] == 0)
                    throw new InvalidDataException($"column '{column}' has a null in row {row + i} of its row group");
            }

            var output = target.Slice(row, pages.Count);
            if (pages.DictionaryEncoded)
            {
                if (version != pages.DictionaryVersion)
                {
                    dictionary = Plain(pages.Dictionary, pages.DictionaryCount);
                    version = pages.DictionaryVersion;
                }

                if (indices.Length < pages.Count)
                    indices = new int[pages.Count];
                pages.ReadIndices(indices);
                for (var i = 0; i < output.Length; i++)
                    output[i] = dictionary[indices[i]];
            }
            else
            {
                var values = pages.Values.AsSpan();
                if (values.Length < output.Length * 8)
                    throw new InvalidDataException($"column '{column}' has a page that ends before its values");
                for (var i = 0; i < output.Length; i++)
                    output[i] = BinaryPrimitives.ReadInt64LittleEndian(values[(i * 8)..]);
            }

            row += pages.Count;
        }

        if (row != target.Length)
            throw new InvalidDataException($"column '{column}' holds {row} values in a row group of {target.Length} rows");
    }

    /// <summary>A BOOLEAN column, PLAIN encoded (bit-packed), nulls included.</summary>
    /// <exception cref="NotSupportedException">The column is encoded otherwise.</exception>
    public static void ReadBooleans(ColumnChunkPages pages, Span<bool?> target, string column)
    {
        var row = 0;
        while (pages.MoveNext())
        {
            if (pages.DictionaryEncoded)
                throw new NotSupportedException("dictionary-encoded booleans");
            if (row + pages.Count > target.Length)
                throw new InvalidDataException($"column '{column}' holds more values than its row group has rows");
            var values = pages.Values.AsSpan();
            if (values.Length * 8L < pages.Present)
                throw new InvalidDataException($"column '{column}' has a page that ends before its values");
            var levels = pages.Levels;
            var k = 0;
            for (var i = 0; i < pages.Count; i++)
            {
                if (levels.Length > 0 && levels[i] == 0)
                {
                    target[row + i] = null;
                    continue;
                }

                target[row + i] = (values[k >> 3] & (1 << (k & 7))) != 0;
                k++;
            }

            row += pages.Count;
        }

        if (row != target.Length)
            throw new InvalidDataException($"column '{column}' holds {row} values in a row group of {target.Length} rows");
    }

    private static long[] Plain(ArraySegment<byte> values, int count)
    {
        if (values.Count < count * 8L)
            throw new InvalidDataException("a dictionary page ends before its values");
        var result = new long[count];
        for (var i = 0; i < count; i++)
            result[i] = BinaryPrimitives.ReadInt64LittleEndian(values.AsSpan(i * 8));
        return result;
    }
}
