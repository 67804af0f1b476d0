namespace Amlfs.Parquet.Training;

/// <summary>
/// Label rows of one entity type, as a labels file gives them: row i asks for the features of <c>EntityIds[i]</c> as
/// of <c>AsOfMs[i]</c> (an instant with a fraction of a millisecond is rounded up: the row sees exactly the events
/// before it) and carries <c>Labels[i]</c>; <c>Lines[i]</c> is its line in the file (or its row, from 1, in Parquet).
/// </summary>
public sealed record LabelRows(string Entity, string[] EntityIds, long[] AsOfMs, bool[] Labels, int[] Lines)
{
    public int Count => EntityIds.Length;

    /// <summary>
    /// The id the training set writes in row i's <c>entity_id</c>; null writes <see cref="EntityIds"/>. The command gives
    /// pseudonyms here for an entity joined on an IP address or a device id, while the replay reads the raw ids.
    /// </summary>
    public string[]? OutputIds { get; init; }
}
