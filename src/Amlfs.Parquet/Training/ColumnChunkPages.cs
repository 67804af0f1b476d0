using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Parquet.Meta;

namespace Amlfs.Parquet.Training;

/// <summary>
/// The data pages of one column chunk of a flat column, read with one positional read and decompressed page by page:
/// the offline history reader decodes the columns it needs for every row itself, because Parquet.Net's decoding makes
/// an object or a slice per value, which cost more than the replay that follows. It understands what Parquet.Net and
/// the common writers produce for flat columns: data pages (v1), an optional dictionary page, PLAIN and dictionary
/// encodings, definition levels of optional columns, no compression or Snappy. <see cref="TryOpen"/> returns null for
/// another codec, and <see cref="MoveNext"/> throws <see cref="NotSupportedException"/> for another encoding or page
/// kind; the caller then reads the chunk through Parquet.Net.
/// </summary>
internal sealed class ColumnChunkPages : IDisposable
{
    private readonly byte[] _chunk;
    private readonly int _length;
    private readonly bool _snappy;
    private readonly long _values;
    private byte[] _page = [];
    private byte[] _dictionary = [];
    private int[] _levels = [];
    private int _position;
    private long _valuesRead;
    private int _valuesOffset;
    private int _valuesLength;
    private int _dictionaryLength;

    private ColumnChunkPages(byte[] chunk, int length, bool snappy, long values, bool optional)
    {
        _chunk = chunk;
        _length = length;
        _snappy = snappy;
        _values = values;
        Optional = optional;
    }

    /// <summary>Whether the column may hold nulls: pages then carry a definition level per value.</summary>
    public bool Optional { get; }

    /// <summary>Values in the current page, nulls included.</summary>
    public int Count { get; private set; }

    /// <summary>Values in the current page that are not null.</summary>
    public int Present { get; private set; }

    /// <summary>Per value of an optional column's page, 1 when present and 0 when null; empty for a required column.</summary>
    public ReadOnlySpan<int> Levels => Optional ? _levels.AsSpan(0, Count) : [];

    /// <summary>The current page's values hold dictionary indices (<see cref="ReadIndices"/>) instead of PLAIN values.</summary>
    public bool DictionaryEncoded { get; private set; }

    /// <summary>The current page's PLAIN-encoded values (present ones only), when not dictionary encoded.</summary>
    public ArraySegment<byte> Values => new(_page, _valuesOffset, _valuesLength);

    /// <summary>The chunk's dictionary: its entries PLAIN-encoded, in index order.</summary>
    public ArraySegment<byte> Dictionary => new(_dictionary, 0, _dictionaryLength);

    /// <summary>Entries of <see cref="Dictionary"/>.</summary>
    public int DictionaryCount { get; private set; }

    /// <summary>Counts the dictionary pages read, so that a caller can tell when its decoded dictionary is stale.</summary>
    public int DictionaryVersion { get; private set; }

    /// <summary>
    /// The chunk of <paramref name="chunk"/> in <paramref name="file"/>, or null when its codec is neither none nor
    /// Snappy or it is too large for one buffer.
    /// </summary>
    public static ColumnChunkPages? TryOpen(SafeFileHandle file, ColumnMetaData chunk, bool optional)
    {
        if (chunk.Codec is not (CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY) || chunk.TotalCompressedSize is <= 0 or > int.MaxValue / 2)
            return null;
        // Writers disagree on whether the dictionary page offset is set; the chunk starts at the first page either way.
        var start = chunk.DictionaryPageOffset is { } d && d > 0 && d < chunk.DataPageOffset ? d : chunk.DataPageOffset;
        var length = (int)chunk.TotalCompressedSize;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var read = 0;
            while (read < length)
            {
                var n = RandomAccess.Read(file, buffer.AsSpan(read, length - read), start + read);
                if (n == 0)
                    throw new InvalidDataException($"column '{string.Join('.', chunk.PathInSchema)}' ends past the end of the file");
                read += n;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new ColumnChunkPages(buffer, length, chunk.Codec == CompressionCodec.SNAPPY, chunk.NumValues, optional);
    }

    /// <summary>Moves to the next data page, reading a dictionary page on the way; false once every value was read.</summary>
    /// <exception cref="NotSupportedException">The page uses an encoding this decoder does not know.</exception>
    /// <exception cref="InvalidDataException">The chunk is malformed.</exception>
    public bool MoveNext()
    {
        while (_valuesRead < _values)
        {
            if (_position >= _length)
                throw new NotSupportedException("the column chunk ends before its values do");
            PageHeader header;
            try
            {
                header = PageHeader.Read(_chunk.AsSpan(0, _length), ref _position);
            }
            catch (Exception e) when (e is IndexOutOfRangeException or OverflowException)
            {
                throw new InvalidDataException("a page header runs past the end of its column chunk", e);
            }

            if (header.CompressedSize < 0 || header.UncompressedSize < 0 || _position + header.CompressedSize > _length)
                throw new InvalidDataException("a page runs past the end of its column chunk");
            var body = _chunk.AsSpan(_position, header.CompressedSize);
            _position += header.CompressedSize;
            switch (header.Type)
            {
                case PageType.DICTIONARY_PAGE:
                    if (header.Encoding is not (Encoding.PLAIN or Encoding.PLAIN_DICTIONARY))
                        throw new NotSupportedException($"dictionary page encoding {header.Encoding}");
                    _dictionaryLength = Decompress(body, header.UncompressedSize, ref _dictionary, _snappy);
                    DictionaryCount = header.ValueCount;
                    DictionaryVersion++;
                    continue;
                case PageType.DATA_PAGE:
                    ReadPage(body, header);
                    return true;
                case PageType.DATA_PAGE_V2:
                    throw new NotSupportedException("data pages v2");
                default:
                    continue; // index pages
            }
        }

        return false;
    }

    /// <summary>The dictionary indices of the current page's present values (one per <see cref="Present"/>).</summary>
    public void ReadIndices(Span<int> indices)
    {
        var values = Values.AsSpan();
        if (values.Length == 0)
        {
            if (Present > 0)
                throw new InvalidDataException("a dictionary-encoded page has no indices");
            return;
        }

        var bitWidth = values[0];
        if (bitWidth > 32)
            throw new InvalidDataException($"dictionary indices of {bitWidth} bits");
        DecodeHybrid(values[1..], bitWidth, indices[..Present]);
        foreach (var index in indices[..Present])
        {
            if ((uint)index >= (uint)DictionaryCount)
                throw new InvalidDataException($"dictionary index {index} outside a dictionary of {DictionaryCount}");
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_chunk);
        if (_page.Length > 0)
            ArrayPool<byte>.Shared.Return(_page);
        if (_dictionary.Length > 0)
            ArrayPool<byte>.Shared.Return(_dictionary);
        if (_levels.Length > 0)
            ArrayPool<int>.Shared.Return(_levels);
    }

    /// <summary>
    /// A data page: levels and values compressed together; an optional column's definition levels come first, prefixed
    /// by their length in bytes.
    /// </summary>
    private void ReadPage(ReadOnlySpan<byte> body, PageHeader header)
    {
        var length = Decompress(body, header.UncompressedSize, ref _page, _snappy);
        var offset = 0;
        BeginPage(header);
        if (Optional)
        {
            if (header.DefinitionLevelEncoding != Encoding.RLE)
                throw new NotSupportedException($"definition levels encoded as {header.DefinitionLevelEncoding}");
            if (length < 4)
                throw new InvalidDataException("a data page ends before its definition levels");
            var levels = BinaryPrimitives.ReadInt32LittleEndian(_page);
            if (levels < 0 || 4 + levels > length)
                throw new InvalidDataException("definition levels run past the end of their page");
            ReadLevels(_page.AsSpan(4, levels));
            offset = 4 + levels;
        }

        EndPage(header, offset, length - offset);
    }

    private void BeginPage(PageHeader header)
    {
        if (header.ValueCount < 0 || _valuesRead + header.ValueCount > _values)
            throw new InvalidDataException("a column chunk's pages hold more values than the chunk");
        Count = header.ValueCount;
        Present = Count;
    }

    private void EndPage(PageHeader header, int offset, int length)
    {
        DictionaryEncoded = header.Encoding switch
        {
            Encoding.PLAIN => false,
            Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY => true,
            _ => throw new NotSupportedException($"values encoded as {header.Encoding}"),
        };
        if (DictionaryEncoded && DictionaryVersion == 0)
            throw new InvalidDataException("a dictionary-encoded page comes before any dictionary");
        _valuesOffset = offset;
        _valuesLength = length;
        _valuesRead += Count;
    }

    private void ReadLevels(ReadOnlySpan<byte> encoded)
    {
        if (_levels.Length < Count)
        {
            if (_levels.Length > 0)
                ArrayPool<int>.Shared.Return(_levels);
            _levels = ArrayPool<int>.Shared.Rent(Count);
        }

        var levels = _levels.AsSpan(0, Count);
        DecodeHybrid(encoded, 1, levels);
        var present = 0;
        foreach (var level in levels)
            present += level;
        Present = present;
    }

    private static int Decompress(ReadOnlySpan<byte> source, int length, ref byte[] target, bool snappy)
    {
        if (length < 0)
            throw new InvalidDataException("a page's uncompressed size is negative");
        var needed = snappy ? length : source.Length;
        if (target.Length < needed)
        {
            if (target.Length > 0)
                ArrayPool<byte>.Shared.Return(target);
            target = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1 << 16));
        }

        if (!snappy)
        {
            source.CopyTo(target);
            return source.Length;
        }

        var written = Snappier.Snappy.Decompress(source, target);
        return written == length ? written : throw new InvalidDataException($"a page decompressed to {written} bytes instead of {length}");
    }

    /// <summary>
    /// Parquet's RLE / bit-packed hybrid: runs of one repeated value and groups of eight values packed
    /// <paramref name="bitWidth"/> bits each, least significant bit first; fills all of <paramref name="output"/>.
    /// </summary>
    internal static void DecodeHybrid(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        var byteWidth = (bitWidth + 7) / 8;
        var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        var p = 0;
        var n = 0;
        while (n < output.Length)
        {
            if (p >= data.Length)
                throw new InvalidDataException("RLE runs end before their values");
            var header = ReadVarint(data, ref p);
            if ((header & 1) == 0)
            {
                var run = (int)Math.Min(header >> 1, (ulong)(output.Length - n));
                if (p + byteWidth > data.Length)
                    throw new InvalidDataException("an RLE run ends before its value");
                var value = 0u;
                for (var b = 0; b < byteWidth; b++)
                    value |= (uint)data[p + b] << (8 * b);
                p += byteWidth;
                output.Slice(n, run).Fill((int)(value & mask));
                n += run;
            }
            else
            {
                var groups = header >> 1;
                var take = (int)Math.Min(groups * 8, (ulong)(output.Length - n));
                var bytes = (int)Math.Min(groups * (ulong)bitWidth, (ulong)(data.Length - p));
                if ((long)take * bitWidth > (long)bytes * 8)
                    throw new InvalidDataException("bit-packed values end before their count");
                var buffer = 0ul;
                var bits = 0;
                var q = p;
                for (var k = 0; k < take; k++)
                {
                    while (bits < bitWidth)
                    {
                        buffer |= (ulong)data[q++] << bits;
                        bits += 8;
                    }

                    output[n++] = (int)(buffer & mask);
                    buffer >>= bitWidth;
                    bits -= bitWidth;
                }

                p += bytes;
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int p)
    {
        var result = 0ul;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[p++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return result;
        }

        throw new InvalidDataException("a varint longer than 64 bits");
    }

    /// <summary>The fields of a Thrift-encoded (compact protocol) page header that decoding needs; others are skipped.</summary>
    private struct PageHeader
    {
        public PageType Type;
        public int UncompressedSize;
        public int CompressedSize;
        public int ValueCount;
        public Encoding Encoding;
        public Encoding DefinitionLevelEncoding;

        public static PageHeader Read(ReadOnlySpan<byte> data, ref int p)
        {
            var header = default(PageHeader);
            short id = 0;
            while (ReadField(data, ref p, ref id, out var type))
            {
                switch (id)
                {
                    case 1 when type == I32:
                        header.Type = (PageType)ReadI32(data, ref p);
                        break;
                    case 2 when type == I32:
                        header.UncompressedSize = ReadI32(data, ref p);
                        break;
                    case 3 when type == I32:
                        header.CompressedSize = ReadI32(data, ref p);
                        break;
                    case 5 or 7 when type == Struct:
                        ReadPageKind(data, ref p, id, ref header);
                        break;
                    default:
                        Skip(data, ref p, type);
                        break;
                }
            }

            return header;
        }

        /// <summary>DataPageHeader (5) or DictionaryPageHeader (7): values, their encoding, the levels' encoding.</summary>
        private static void ReadPageKind(ReadOnlySpan<byte> data, ref int p, short kind, ref PageHeader header)
        {
            short id = 0;
            while (ReadField(data, ref p, ref id, out var type))
            {
                if (type != I32)
                {
                    Skip(data, ref p, type);
                    continue;
                }

                var value = ReadI32(data, ref p);
                switch (id)
                {
                    case 1:
                        header.ValueCount = value;
                        break;
                    case 2:
                        header.Encoding = (Encoding)value;
                        break;
                    case 3 when kind == 5:
                        header.DefinitionLevelEncoding = (Encoding)value;
                        break;
                }
            }
        }

        private const int BooleanTrue = 1;
        private const int BooleanFalse = 2;
        private const int I32 = 5;
        private const int Struct = 12;

        /// <summary>The next field's id and type; false at the struct's end.</summary>
        private static bool ReadField(ReadOnlySpan<byte> data, ref int p, ref short id, out int type)
        {
            var b = data[p++];
            type = b & 0x0F;
            if (type == 0)
                return false;
            var delta = b >> 4;
            id = delta != 0 ? (short)(id + delta) : (short)ReadI32(data, ref p);
            return true;
        }

        private static int ReadI32(ReadOnlySpan<byte> data, ref int p)
        {
            var v = (uint)ReadVarint(data, ref p);
            return (int)(v >> 1) ^ -(int)(v & 1);
        }

        /// <summary>An element of a list, set or map: there a boolean takes a byte of its own.</summary>
        private static void SkipElement(ReadOnlySpan<byte> data, ref int p, int type)
        {
            if (type is BooleanTrue or BooleanFalse)
                p++;
            else
                Skip(data, ref p, type);
        }

        private static void Skip(ReadOnlySpan<byte> data, ref int p, int type)
        {
            switch (type)
            {
                case BooleanTrue or BooleanFalse:
                    return;
                case 3: // byte
                    p++;
                    return;
                case 4 or I32 or 6: // i16, i32, i64
                    ReadVarint(data, ref p);
                    return;
                case 7: // double
                    p += 8;
                    return;
                case 8: // binary
                    var length = checked((int)ReadVarint(data, ref p));
                    p += length;
                    return;
                case 9 or 10: // list, set
                    var list = data[p++];
                    var count = list >> 4 == 15 ? checked((int)ReadVarint(data, ref p)) : list >> 4;
                    for (var i = 0; i < count; i++)
                        SkipElement(data, ref p, list & 0x0F);
                    return;
                case 11: // map
                    var entries = checked((int)ReadVarint(data, ref p));
                    if (entries == 0)
                        return;
                    var kinds = data[p++];
                    for (var i = 0; i < entries; i++)
                    {
                        SkipElement(data, ref p, kinds >> 4);
                        SkipElement(data, ref p, kinds & 0x0F);
                    }

                    return;
                case Struct:
                    short id = 0;
                    while (ReadField(data, ref p, ref id, out var inner))
                        Skip(data, ref p, inner);
                    return;
                default:
                    throw new InvalidDataException($"a page header holds an unknown Thrift type {type}");
            }
        }
    }
}
