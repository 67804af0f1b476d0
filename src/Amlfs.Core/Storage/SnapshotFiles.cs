using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Hashing;

namespace Amlfs.Storage;

/// <summary>
/// The snapshot directory: <c>snapshot-SEQUENCE.bin</c> files (SEQUENCE zero-padded to 20 digits, the last log record
/// the snapshot covers), each wrapping an engine's bytes in a small header and a checksum of the whole file.
/// Every integer is little-endian.
/// <code>
///  0  8 bytes "AMLFSSNP"
///  8  u32 format version (1)
/// 12  u32 reserved, 0
/// 16  u64 log sequence covered        equals the number in the file's name
/// 24  engine bytes (n)               FeatureEngine.WriteSnapshot's output, opaque here
/// 24 + n  u64 n
/// 32 + n  u64 XXH3-64 of bytes 0 to 32 + n - 1
/// </code>
/// A file is written under a temporary name, fsynced, renamed over its final name and the directory fsynced, so a
/// crash leaves either no snapshot or a whole one; a checksum mismatch means damage after the fact.
/// </summary>
public sealed class SnapshotFiles
{
    private const string Prefix = "snapshot-";
    private const string Extension = ".bin";
    private const string TempExtension = ".tmp";
    private const int NameDigits = 20;
    private const int HeaderBytes = 24;
    private const int TrailerBytes = 16;
    private const uint Version = 1;
    private const int CopyBufferBytes = 1 << 20;
    private static ReadOnlySpan<byte> Magic => "AMLFSSNP"u8;

    /// <summary>Opens (creating it when needed) the snapshot directory and removes temporary files a crash left.</summary>
    public SnapshotFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension + TempExtension))
            File.Delete(temp);
    }

    public string Directory { get; }

    /// <summary>The snapshot files, newest (highest sequence) first; unverified.</summary>
    public IReadOnlyList<SnapshotFile> List() => System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension)
        .Select(path => ParseSequence(Path.GetFileName(path)) is { } sequence ? new SnapshotFile(path, sequence) : null)
        .OfType<SnapshotFile>()
        .OrderByDescending(f => f.Sequence)
        .ToList();

    /// <summary>
    /// Writes the snapshot covering log records up to <paramref name="sequence"/>: <paramref name="writeEngine"/> writes
    /// the engine's bytes to the stream it is given. Replaces a snapshot of the same sequence. Returns the new file.
    /// </summary>
    public SnapshotFile Write(long sequence, Action<Stream> writeEngine)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentNullException.ThrowIfNull(writeEngine);
        var path = Path.Combine(Directory, FileName(sequence));
        var temp = path + TempExtension;
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, CopyBufferBytes))
            {
                var hash = new XxHash3();
                Span<byte> header = stackalloc byte[HeaderBytes];
                Magic.CopyTo(header);
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
                BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
                BinaryPrimitives.WriteInt64LittleEndian(header[16..], sequence);
                file.Write(header);
                hash.Append(header);
                long engineBytes;
                using (var body = new HashingStream(file, hash))
                {
                    writeEngine(body);
                    engineBytes = body.Written;
                }

                Span<byte> trailer = stackalloc byte[TrailerBytes];
                BinaryPrimitives.WriteInt64LittleEndian(trailer, engineBytes);
                hash.Append(trailer[..8]);
                BinaryPrimitives.WriteUInt64LittleEndian(trailer[8..], hash.GetCurrentHashAsUInt64());
                file.Write(trailer);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            DirectorySync.Flush(Directory);
            return new SnapshotFile(path, sequence);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Verifies a snapshot's header and whole-file checksum and, when they hold, opens a stream over its engine bytes
    /// (to hand to <c>FeatureEngine.TryRestoreSnapshot</c>); otherwise says what is wrong.
    /// </summary>
    public static bool TryOpen(SnapshotFile file, [NotNullWhen(true)] out Stream? engineBytes, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(file);
        engineBytes = null;
        var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        try
        {
            problem = Verify(stream, file.Sequence, out var length);
            if (problem is not null)
            {
                stream.Dispose();
                return false;
            }

            stream.Position = HeaderBytes;
            engineBytes = new SliceStream(new BufferedStream(stream, CopyBufferBytes), length);
            return true;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> snapshots; returns how many it deleted.</summary>
    public int Prune(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var old = List().Skip(keep).ToList();
        foreach (var file in old)
            File.Delete(file.Path);
        return old.Count;
    }

    private static string FileName(long sequence) =>
        Prefix + sequence.ToString("D" + NameDigits, CultureInfo.InvariantCulture) + Extension;

    private static long? ParseSequence(string name)
    {
        if (name.Length != Prefix.Length + NameDigits + Extension.Length)
            return null;
        var digits = name.AsSpan(Prefix.Length, NameDigits);
        return digits.ContainsAnyExceptInRange('0', '9')
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? null
            : sequence;
    }

    /// <summary>The problem with the file, or null with the engine bytes' length when it is whole.</summary>
    private static string? Verify(FileStream stream, long sequence, out long engineLength)
    {
        engineLength = 0;
        var fileLength = stream.Length;
        if (fileLength < HeaderBytes + TrailerBytes)
            return "shorter than a snapshot header and trailer";
        Span<byte> header = stackalloc byte[HeaderBytes];
        stream.ReadExactly(header);
        if (!header[..8].SequenceEqual(Magic))
            return "not a snapshot file (bad magic)";
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != Version)
            return string.Create(CultureInfo.InvariantCulture, $"unsupported snapshot format version {version}");
        var declared = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        if (declared != sequence)
            return string.Create(CultureInfo.InvariantCulture, $"header declares sequence {declared}, the file name {sequence}");
        Span<byte> trailer = stackalloc byte[TrailerBytes];
        stream.Position = fileLength - TrailerBytes;
        stream.ReadExactly(trailer);
        engineLength = BinaryPrimitives.ReadInt64LittleEndian(trailer);
        if (engineLength != fileLength - HeaderBytes - TrailerBytes)
            return string.Create(CultureInfo.InvariantCulture, $"trailer declares {engineLength} engine bytes, the file holds {fileLength - HeaderBytes - TrailerBytes}");

        var hash = new XxHash3();
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            stream.Position = 0;
            var remaining = fileLength - 8;
            while (remaining > 0)
            {
                var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (read == 0)
                    return "the file shrank while being verified";
                hash.Append(buffer.AsSpan(0, read));
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hash.GetCurrentHashAsUInt64() == BinaryPrimitives.ReadUInt64LittleEndian(trailer[8..])
            ? null
            : "checksum mismatch: the file was damaged after it was written";
    }

    /// <summary>Forwards writes to the file while hashing and counting them; leaves the file open.</summary>
    private sealed class HashingStream(Stream inner, XxHash3 hash) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => Written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.Append(buffer);
            inner.Write(buffer);
            Written += buffer.Length;
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Reads the engine bytes only: the trailer stays invisible, so the engine sees the end of its own data.</summary>
    private sealed class SliceStream(Stream inner, long length) : Stream
    {
        private readonly long _length = length;
        private long _remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _length - _remaining;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_remaining == 0)
                return 0;
            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
            _remaining -= read;
            return read;
        }

        public override int ReadByte()
        {
            Span<byte> one = stackalloc byte[1];
            return Read(one) == 1 ? one[0] : -1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
