namespace Amlfs.Storage;

/// <summary>What the log tracks per segment; <see cref="Bytes"/> of the active one counts buffered records.</summary>
internal sealed class WalSegmentState(string path, long first)
{
    public string Path { get; } = path;

    public long First { get; } = first;

    public long Last { get; set; } = first - 1;

    public long MaxTimestampMs { get; set; } = long.MinValue;

    public long Bytes { get; set; }

    public bool Sealed { get; set; }
}
