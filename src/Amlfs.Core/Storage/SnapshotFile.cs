namespace Amlfs.Storage;

/// <summary>A snapshot file on disk, not yet verified.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Sequence">The last log sequence the snapshot covers, from the file name.</param>
public sealed record SnapshotFile(string Path, long Sequence);
