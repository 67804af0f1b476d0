using Amlfs.Engine;

namespace Amlfs.Checkpoints;

/// <summary>
/// The state of one source partition as of an offset: the engine snapshot that holds every message before
/// <see cref="NextOffset"/> and none after it. Saved as one unit, so that a worker that takes the partition over
/// restores the snapshot and resumes reading at <see cref="NextOffset"/>: no message lost, none counted twice.
/// </summary>
/// <param name="Topic">The source topic.</param>
/// <param name="Partition">The partition of <paramref name="Topic"/>.</param>
/// <param name="NextOffset">The offset of the first message the state does not hold.</param>
/// <param name="State">An engine snapshot (<see cref="FeatureEngine.WriteSnapshot"/>).</param>
public sealed record PartitionCheckpoint(string Topic, int Partition, long NextOffset, byte[] State)
{
    private static ReadOnlySpan<byte> Magic => "AMLFCKP1"u8;

    /// <summary>
    /// The checkpoint as bytes: topic, partition and offset, then the snapshot, in checksummed frames, so that a torn
    /// or corrupted copy is detected instead of restored.
    /// </summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream(State.Length + 64);
        using (var writer = new SnapshotWriter(stream, Magic))
        {
            writer.WriteString(Topic);
            writer.WriteInt32(Partition);
            writer.WriteInt64(NextOffset);
            writer.WriteInt64(State.Length);
            writer.WriteBytes(State);
            writer.Complete();
        }

        return stream.ToArray();
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote; throws <see cref="InvalidDataException"/> for corrupt bytes.</summary>
    public static PartitionCheckpoint FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var reader = new SnapshotReader(new MemoryStream(bytes, writable: false), Magic);
        var topic = reader.ReadString();
        var partition = reader.ReadInt32();
        var offset = reader.ReadInt64();
        var length = reader.ReadInt64();
        if (partition < 0 || offset < 0 || length < 0 || length > bytes.Length)
            throw new InvalidDataException($"the checkpoint of {topic} partition {partition} is corrupt: offset {offset}, state length {length}");
        var state = new byte[length];
        reader.ReadBytes(state);
        reader.ReadEnd();
        return new PartitionCheckpoint(topic, partition, offset, state);
    }
}
