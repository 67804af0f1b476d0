using System.Globalization;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Amlfs.Audit;

/// <summary>
/// The audit trail of a data directory, in <c>DATA/audit</c> (<see cref="AuditFiles"/>, <see cref="AuditFormat"/>,
/// <c>docs/audit.md</c>). Any number of processes append to the same trail (the server, CLI commands run beside it):
/// each append takes an exclusive lock on <c>audit/.lock</c> (retried for up to <see cref="LockTimeout"/>), reads the
/// last record from the tail of the newest file, appends the next record in one write, fsyncs it and releases the lock.
/// Nothing is cached between appends, so a record written by another process is always chained to.
/// </summary>
/// <remarks>
/// <para>A new file is started when the UTC day of the record differs from the newest file's, or when that file has
/// reached <see cref="MaxFileBytes"/>; the chain goes on across files.</para>
/// <para>A last line without its final <c>\n</c> is the tail of an append that a crash cut short, whose caller never
/// saw it succeed: the next append moves those bytes aside into <c>FILE.OFFSET.torn</c> (fsynced first), cuts the file
/// back to its last whole line, logs a warning and goes on; <see cref="AuditVerifier"/> reports every <c>.torn</c> file
/// as a warning, so nothing is dropped silently. A whole last line that is not a record stops appends (they throw) until
/// someone looks: it is damage, not a crash.</para>
/// <para>Thread-safe; appends from the threads of one instance are serialized before they take the file lock.</para>
/// </remarks>
public sealed partial class AuditLog : IAuditTrail
{
    /// <summary>The size past which the next record starts a new file: 64 MiB.</summary>
    public const long DefaultMaxFileBytes = 64L << 20;

    /// <summary>How long an append waits for another writer's lock before it fails.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>The audit trail of <paramref name="dataDirectory"/>; the folder is created at the first append.</summary>
    public AuditLog(string dataDirectory, TimeProvider time, ILogger? logger = null, long maxFileBytes = DefaultMaxFileBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFileBytes, 1);
        Directory = AuditFiles.DirectoryOf(dataDirectory);
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        MaxFileBytes = maxFileBytes;
    }

    /// <summary><c>DATA/audit</c>, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The size past which the next record starts a new file.</summary>
    public long MaxFileBytes { get; }

    /// <inheritdoc/>
    /// <exception cref="IOException">The record could not be written, or the lock not taken in time.</exception>
    /// <exception cref="InvalidDataException">The trail's last record is damaged: appends wait for a person.</exception>
    public void Record(string actor, string action, string subject, IReadOnlyDictionary<string, string?>? details = null) =>
        Append(actor, action, subject, details);

    /// <summary>As <see cref="Record"/>, returning the record as written.</summary>
    /// <exception cref="IOException">The record could not be written, or the lock not taken in time.</exception>
    /// <exception cref="InvalidDataException">The trail's last record is damaged: appends wait for a person.</exception>
    public AuditRecord Append(string actor, string action, string subject, IReadOnlyDictionary<string, string?>? details = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(subject);
        lock (_lock)
        {
            System.IO.Directory.CreateDirectory(Directory);
            using var exclusive = AcquireLock();
            var (current, currentLength, lastSequence, lastHash) = ReadHead();

            var now = _time.GetUtcNow();
            var time = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
            var sequence = lastSequence + 1;
            var line = AuditFormat.Line(sequence, time, actor, action, subject, details, lastHash, out var hash);
            var day = DateOnly.FromDateTime(time.UtcDateTime);

            var path = current?.Path;
            var created = current is null || current.Day != day || currentLength >= MaxFileBytes;
            if (created)
                path = AuditFiles.PathOf(Directory, day, sequence);
            using (var file = new FileStream(path!, created ? FileMode.CreateNew : FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0))
            {
                file.Write(line);
                file.Flush(flushToDisk: true);
            }

            if (created)
                DirectorySync.Flush(Directory);
            return new AuditRecord(sequence, time, actor, action, subject, Copy(details), lastHash, hash);
        }
    }

    private static Dictionary<string, string?> Copy(IReadOnlyDictionary<string, string?>? details) =>
        details is null ? new(StringComparer.Ordinal) : details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);

    private FileStream AcquireLock() =>
        LockFile.Wait(Path.Combine(Directory, AuditFiles.LockFileName), LockTimeout, $"the audit trail {Directory}");

    /// <summary>
    /// The newest file (null when there is none), its length, and the sequence and hash of the last record (0 and
    /// <see cref="AuditFormat.GenesisHash"/> when there is none). Moves a torn tail aside; deletes a newest file left
    /// empty (created by an append that a crash stopped before it wrote).
    /// </summary>
    private (AuditFile? File, long Length, long Sequence, string Hash) ReadHead()
    {
        var files = AuditFiles.List(Directory);
        for (var i = files.Count - 1; i >= 0; i--)
        {
            var file = files[i];
            using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            var length = MoveTornTailAside(file, stream);
            if (length == 0)
            {
                stream.Dispose();
                File.Delete(file.Path);
                DirectorySync.Flush(Directory);
                continue;
            }

            var last = LastLine(stream, length);
            var record = AuditFormat.TryParse(last, out var problem);
            // Only the form is checked here: a record changed in place is chained to as stored, and verify names it.
            if (record is null)
                throw new InvalidDataException($"{file.Path}: the last record is damaged ({problem}); nothing more is appended until it is repaired: run amlfs audit verify");

            return (file, length, record.Sequence, record.Hash);
        }

        return (null, 0, 0, AuditFormat.GenesisHash);
    }

    /// <summary>Moves the bytes after the last <c>\n</c> into a <c>.torn</c> file and cuts them off; the length left.</summary>
    private long MoveTornTailAside(AuditFile file, FileStream stream)
    {
        var length = stream.Length;
        if (length == 0 || ByteAt(stream, length - 1) == (byte)'\n')
            return length;
        var cut = LastNewline(stream, length) + 1;
        var torn = new byte[length - cut];
        stream.Position = cut;
        stream.ReadExactly(torn);

        var tornPath = string.Create(CultureInfo.InvariantCulture, $"{file.Path}.{cut}{AuditFiles.TornExtension}");
        for (var n = 2; File.Exists(tornPath); n++)
            tornPath = string.Create(CultureInfo.InvariantCulture, $"{file.Path}.{cut}-{n}{AuditFiles.TornExtension}");
        using (var aside = new FileStream(tornPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            aside.Write(torn);
            aside.Flush(flushToDisk: true);
        }

        DirectorySync.Flush(Directory);
        stream.SetLength(cut);
        stream.Flush(flushToDisk: true);
        LogTornTailMovedAside(_logger, torn.Length, file.Path, tornPath);
        return cut;
    }

    private static byte ByteAt(FileStream stream, long position)
    {
        Span<byte> one = stackalloc byte[1];
        stream.Position = position;
        stream.ReadExactly(one);
        return one[0];
    }

    /// <summary>The position of the last <c>\n</c> before <paramref name="end"/>, or -1 when there is none.</summary>
    private static long LastNewline(FileStream stream, long end)
    {
        var buffer = new byte[8192];
        while (end > 0)
        {
            var count = (int)Math.Min(buffer.Length, end);
            stream.Position = end - count;
            stream.ReadExactly(buffer, 0, count);
            var at = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (at >= 0)
                return end - count + at;
            end -= count;
        }

        return -1;
    }

    /// <summary>The last line of a file of whole lines (<paramref name="length"/> ends with <c>\n</c>), without its <c>\n</c>.</summary>
    private static byte[] LastLine(FileStream stream, long length)
    {
        var start = LastNewline(stream, length - 1) + 1;
        var line = new byte[length - 1 - start];
        stream.Position = start;
        stream.ReadExactly(line);
        return line;
    }
}
