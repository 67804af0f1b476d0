using Amlfs.Storage;

namespace Amlfs.OfflineStore;

/// <summary>
/// The roll of the write-ahead log into the offline store: each accepted transaction becomes an unlabelled row
/// (<c>is_suspicious</c> null, no typology) carrying its log sequence, in the day partition of its event time
/// (<see cref="DatasetLayout.LogPartFile"/>). The host rolls through this interface; an adapter writes the files.
/// <para>
/// Idempotent: records at or below <see cref="RolledSequence"/> are skipped, so handing the same records twice writes
/// nothing, and the horizon moves only once a batch is durable. One caller at a time may roll;
/// <see cref="RolledSequence"/> may be read from any thread.
/// </para>
/// </summary>
public interface IOfflineStoreRoll
{
    /// <summary>The log sequence up to which every record is in the offline store (0 when none is).</summary>
    long RolledSequence { get; }

    /// <summary>
    /// Rolls the records of <paramref name="records"/> (in sequence order) after <see cref="RolledSequence"/> and
    /// returns what it wrote; <see cref="RolledSequence"/> advances as each batch becomes durable.
    /// </summary>
    Task<LogRollResult> RollAsync(IEnumerable<WalRecord> records, CancellationToken cancellationToken = default);
}
