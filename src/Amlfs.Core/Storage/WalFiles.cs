namespace Amlfs.Storage;

/// <summary>
/// Reads a log directory's segment files without opening the <see cref="WriteAheadLog"/>, for a reader beside the
/// writer (the roll into the offline store): records up to <see cref="WriteAheadLog.SealedThrough"/> lie in sealed
/// segments, which never change again, so reading them needs neither the log's lock nor its writer thread.
/// </summary>
public static class WalFiles
{
    /// <summary>
    /// The records after <paramref name="afterSequence"/> through <paramref name="throughSequence"/>, in order, read
    /// lazily. The caller guarantees that those records are written and that their segments are not deleted meanwhile
    /// (retention keeps the segments that are not rolled yet).
    /// </summary>
    /// <exception cref="InvalidDataException">While enumerating: a damaged record, a gap, or a log that ends before
    /// <paramref name="throughSequence"/>; the message names the file and byte offset.</exception>
    public static IEnumerable<WalRecord> Read(string directory, long afterSequence, long throughSequence)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (throughSequence <= afterSequence || !Directory.Exists(directory))
            return [];
        var segments = Directory.EnumerateFiles(directory)
            .Select(path => (Path: path, First: WalSegmentFormat.ParseFileName(Path.GetFileName(path))))
            .Where(s => s.First is not null && s.First <= throughSequence)
            .Select(s => (s.Path, First: s.First!.Value))
            .OrderBy(s => s.First)
            .ToArray();
        if (segments.Length == 0)
            return [];
        var start = Array.FindLastIndex(segments, s => s.First <= afterSequence + 1);
        return WalSegmentScan.Read(segments, Math.Max(start, 0), afterSequence, throughSequence);
    }
}
