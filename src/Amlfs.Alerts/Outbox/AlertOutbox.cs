using System.Text.Json;
using Amlfs.Storage;

namespace Amlfs.Alerts.Outbox;

/// <summary>
/// The durable record of alerts (<c>DATA/alerts/outbox.log</c>, framed by <see cref="OutboxFormat"/>): every alert is
/// appended and fsynced when raised, before any delivery is tried, and so is every settled delivery. Opening reads it
/// back, cuts a torn tail, and compacts away settled alerts older than the retention, so the file holds what the
/// dedupe keys, the throttles and the recent alerts need and what is still to deliver. One process at a time: the
/// outbox holds <c>alerts/store.lock</c> (<see cref="DataDirectoryLock"/>) while open. Thread-safe.
/// </summary>
internal sealed class AlertOutbox : IDisposable
{
    public const string DirectoryName = "alerts";
    public const string FileName = "outbox.log";

    private readonly Lock _lock = new();
    private readonly DataDirectoryLock _hold;
    private readonly FileStream _file;

    private AlertOutbox(DataDirectoryLock hold, string path)
    {
        _hold = hold;
        Path = path;
        _file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        _file.Seek(0, SeekOrigin.End);
    }

    /// <summary>The outbox file.</summary>
    public string Path { get; }

    /// <summary>Opens (or creates) the outbox of <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">The data directory; the outbox lives in its <c>alerts/</c>.</param>
    /// <param name="retentionMs">How long a settled alert is kept for its dedupe key and the recent alerts.</param>
    /// <param name="nowMs">Now, UTC milliseconds.</param>
    /// <param name="contents">What the outbox held.</param>
    /// <exception cref="InvalidDataException">The file is not an outbox, or of another format version.</exception>
    /// <exception cref="DataDirectoryInUseException">Another engine (in this process or another) has the outbox open.</exception>
    public static AlertOutbox Open(string dataDirectory, long retentionMs, long nowMs, out OutboxContents contents)
    {
        var directory = System.IO.Path.Combine(dataDirectory, DirectoryName);
        var hold = DataDirectoryLock.Acquire(directory);
        try
        {
            return Open(hold, System.IO.Path.Combine(directory, FileName), retentionMs, nowMs, out contents);
        }
        catch
        {
            hold.Dispose();
            throw;
        }
    }

    private static AlertOutbox Open(DataDirectoryLock hold, string path, long retentionMs, long nowMs, out OutboxContents contents)
    {
        if (!File.Exists(path) || new FileInfo(path).Length < OutboxFormat.HeaderBytes)
        {
            // A new outbox, or one whose creation a crash tore before its header was complete: nothing was in it.
            Rewrite(path, []);
        }

        var data = File.ReadAllBytes(path);
        if (OutboxFormat.CheckHeader(data.AsSpan(0, OutboxFormat.HeaderBytes)) is { } problem)
            throw new InvalidDataException($"{path}: {problem}");

        var (entries, lastSequence, end) = ReadRecords(data);
        var torn = data.Length - end;
        var kept = entries.Where(e => e.Unsettled.Any() || nowMs - e.Alert.RaisedAtMs <= retentionMs).ToList();
        var dropped = entries.Count - kept.Count;
        if (dropped > 0)
        {
            Rewrite(path, kept);
        }
        else if (torn > 0)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
            file.SetLength(end);
            file.Flush(flushToDisk: true);
        }

        contents = new OutboxContents(kept, lastSequence, torn, dropped);
        return new AlertOutbox(hold, path);
    }

    /// <summary>Appends raised alerts and forces them to stable storage.</summary>
    public void AppendRaised(IReadOnlyList<Alert> alerts)
    {
        if (alerts.Count == 0)
            return;
        Append(alerts.Select(a => OutboxFormat.Frame(OutboxRecordType.Raised, JsonSerializer.SerializeToUtf8Bytes(a, AlertJsonContext.Default.Alert))));
    }

    /// <summary>Appends a settled delivery and forces it to stable storage.</summary>
    public void AppendOutcome(OutboxOutcome outcome) =>
        Append([OutboxFormat.Frame(OutboxRecordType.Outcome, JsonSerializer.SerializeToUtf8Bytes(outcome, AlertJsonContext.Default.OutboxOutcome))]);

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
            _hold.Dispose();
        }
    }

    private void Append(IEnumerable<byte[]> records)
    {
        lock (_lock)
        {
            var start = _file.Position;
            try
            {
                foreach (var record in records)
                    _file.Write(record);
                _file.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // Leave no half-written record before the next append, which would be cut with it at the next open.
                try
                {
                    _file.SetLength(start);
                    _file.Position = start;
                }
                catch (IOException)
                {
                }

                throw;
            }
        }
    }

    private static (List<OutboxEntry> Entries, long LastSequence, int End) ReadRecords(byte[] data)
    {
        var entries = new Dictionary<long, OutboxEntry>();
        long lastSequence = 0;
        var offset = OutboxFormat.HeaderBytes;
        while (offset < data.Length && OutboxFormat.TryRead(data.AsSpan(offset), out var type, out var payload, out var size))
        {
            try
            {
                if (type == OutboxRecordType.Raised)
                {
                    var alert = JsonSerializer.Deserialize(payload, AlertJsonContext.Default.Alert)!;
                    entries[alert.Sequence] = new OutboxEntry(alert);
                    lastSequence = Math.Max(lastSequence, alert.Sequence);
                }
                else if (JsonSerializer.Deserialize(payload, AlertJsonContext.Default.OutboxOutcome) is { } outcome
                    && entries.TryGetValue(outcome.Sequence, out var entry))
                {
                    entry.Outcomes[outcome.Channel] = outcome;
                }
            }
            catch (JsonException)
            {
                break; // a record that checks but does not parse is damage all the same: cut from here
            }

            offset += size;
        }

        return (entries.Values.OrderBy(e => e.Alert.Sequence).ToList(), lastSequence, offset);
    }

    /// <summary>Writes a whole outbox beside the old one and renames it over it, so a crash leaves one or the other.</summary>
    private static void Rewrite(string path, List<OutboxEntry> entries)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> header = stackalloc byte[OutboxFormat.HeaderBytes];
            OutboxFormat.WriteHeader(header);
            file.Write(header);
            foreach (var entry in entries)
            {
                file.Write(OutboxFormat.Frame(OutboxRecordType.Raised, JsonSerializer.SerializeToUtf8Bytes(entry.Alert, AlertJsonContext.Default.Alert)));
                foreach (var outcome in entry.Outcomes.Values)
                    file.Write(OutboxFormat.Frame(OutboxRecordType.Outcome, JsonSerializer.SerializeToUtf8Bytes(outcome, AlertJsonContext.Default.OutboxOutcome)));
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(System.IO.Path.GetDirectoryName(path)!);
    }
}
