namespace Amlfs.Engine;

/// <summary>What a <see cref="PartitionedReplay"/> computed.</summary>
/// <param name="Values">One row-major array per query: <c>rows x query.Width</c>.</param>
/// <param name="Duplicates">History transactions skipped as repeated ids.</param>
public sealed record PartitionedReplayResult(double[][] Values, long Duplicates);
