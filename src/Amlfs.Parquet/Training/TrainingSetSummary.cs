namespace Amlfs.Parquet.Training;

/// <summary>What a training-set build did and how long each stage took.</summary>
/// <param name="Rows">Rows written.</param>
/// <param name="Features">Feature columns per row.</param>
/// <param name="HistoryTransactions">Transactions read from the offline store (labelled or not).</param>
/// <param name="Unlabelled">Of those, transactions without a label: history only.</param>
/// <param name="Duplicates">Transactions skipped as a repeated id within the dedup retention.</param>
/// <param name="Files">Parquet files of the store read.</param>
/// <param name="Read">Reading the store into columns in time order.</param>
/// <param name="Replay">Replaying the engine and evaluating every row.</param>
/// <param name="Write">Writing the output file.</param>
public sealed record TrainingSetSummary(
    long Rows, int Features, long HistoryTransactions, long Unlabelled, long Duplicates, int Files,
    TimeSpan Read, TimeSpan Replay, TimeSpan Write)
{
    public TimeSpan Elapsed => Read + Replay + Write;
}
