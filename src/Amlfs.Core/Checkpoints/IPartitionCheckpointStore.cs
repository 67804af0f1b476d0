namespace Amlfs.Checkpoints;

/// <summary>
/// Where stream workers keep the latest <see cref="PartitionCheckpoint"/> of each partition they own, per consumer
/// group, so that whichever worker owns a partition next resumes from it. A save replaces the previous checkpoint
/// of the partition at once: a reader sees the old or the new one whole, never a mix. Implementations are
/// thread-safe.
/// </summary>
public interface IPartitionCheckpointStore
{
    /// <summary>Where the checkpoints are kept, for messages (no secrets).</summary>
    string Location { get; }

    /// <summary>Replaces the checkpoint of the partition of <paramref name="checkpoint"/> for <paramref name="group"/>.</summary>
    Task SaveAsync(string group, PartitionCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>The latest checkpoint of the partition for <paramref name="group"/>, or null when none was saved.</summary>
    Task<PartitionCheckpoint?> LoadAsync(string group, string topic, int partition, CancellationToken cancellationToken = default);
}
