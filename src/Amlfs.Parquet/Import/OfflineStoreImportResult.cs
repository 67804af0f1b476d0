namespace Amlfs.Parquet.Import;

/// <summary>
/// What <see cref="OfflineStoreImport.WriteAsync"/> wrote: one file per day in date order, their total size, how many
/// existing partitions were replaced, and the time span of the rows (null when there were none).
/// </summary>
public sealed record OfflineStoreImportResult(
    IReadOnlyList<string> Files, long Bytes, int PartitionsReplaced, DateTimeOffset? First, DateTimeOffset? Last)
{
    public int Days => Files.Count;
}
