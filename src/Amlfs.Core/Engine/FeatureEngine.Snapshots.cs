namespace Amlfs.Engine;

/// <summary>Snapshots of the engine's whole state: written by the single writer, restored into a fresh engine.</summary>
public sealed partial class FeatureEngine
{
    /// <summary>
    /// Writes the engine's whole state (admission gate, every shard's entities, counters) to <paramref name="stream"/>.
    /// The caller is the single writer and must not call Ingest meanwhile; the method flushes the shards first. Reads
    /// may continue during the write.
    /// </summary>
    public void WriteSnapshot(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnterWriter(nameof(WriteSnapshot));
        try
        {
            // Once the queues are drained the shard threads mutate nothing (the sweep runs inside Apply only), and
            // this thread holds the writer flag, so the state stays still while it is written.
            Flush();
            EngineSnapshot.Write(stream, Plan, _options, new EngineCounters(_accepted, _duplicates, _late, _future, _logSequence), _gate, _shards.Shards);
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>
    /// Restores a state written by <see cref="WriteSnapshot"/> into this engine, which must not have ingested anything.
    /// Returns false, leaving the engine empty, when the snapshot was written for a different plan or shard layout;
    /// throws <see cref="InvalidDataException"/> when the bytes are corrupt.
    /// </summary>
    public bool TryRestoreSnapshot(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnterWriter(nameof(TryRestoreSnapshot));
        try
        {
            if (_accepted + _duplicates + _late + _future + _logSequence != 0 || _gate.Watermark != long.MinValue
                || Plan.Entities.Any(e => EntityCount(e) > 0))
            {
                throw new InvalidOperationException("a snapshot can only be restored into an engine that has ingested nothing");
            }

            if (EngineSnapshot.Read(stream, Plan, _options, _gate, _shards.Shards) is not { } snapshot)
                return false;
            snapshot.RestoreInto(_gate, _shards.Shards);
            var counters = snapshot.Counters;
            Volatile.Write(ref _accepted, counters.Accepted);
            Volatile.Write(ref _duplicates, counters.Duplicates);
            Volatile.Write(ref _late, counters.Late);
            Volatile.Write(ref _future, counters.FutureTimestamps);
            Volatile.Write(ref _logSequence, counters.LogSequence);
            Volatile.Write(ref _watermark, _gate.Watermark);
            return true;
        }
        finally
        {
            ExitWriter();
        }
    }
}
