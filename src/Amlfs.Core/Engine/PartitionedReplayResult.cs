namespace Amlfs.Engine;

/// <summary>What a <see cref="PartitionedReplay"/> computed.</summary>
/// <param name="Values">One row-major array per query: <c>rows x query.Width</c>.</param>
/// <param name="Statuses">The admission gate's decision on each history transaction, in the history's column order.</param>
public sealed record PartitionedReplayResult(double[][] Values, IngestStatus[] Statuses)
{
    /// <summary>History transactions skipped as repeated ids within the dedup retention.</summary>
    public long Duplicates => Statuses.LongCount(s => s == IngestStatus.Duplicate);

    /// <summary>History transactions rejected as older than the watermark minus the allowed lateness (none in time order).</summary>
    public long Late => Statuses.LongCount(s => s == IngestStatus.Late);
}
