namespace Amlfs.Parquet.Training;

/// <summary>
/// A point-in-time training set of transactions in memory: row i is a labelled transaction with its features as of its
/// own time (<see cref="Amlfs.Scoring.ModelInputLayout.FeatureNames"/> order), sorted by time, then transaction id.
/// </summary>
/// <param name="TransactionIds">Each row's transaction.</param>
/// <param name="CustomerIds">Each row's customer.</param>
/// <param name="MerchantIds">Each row's merchant (empty when the store has none).</param>
/// <param name="TimesMs">Each row's time, UTC milliseconds.</param>
/// <param name="AmountCents">Each row's amount in cents.</param>
/// <param name="Labels">Each row's label.</param>
/// <param name="Typologies">Each row's typology (empty for a normal transaction).</param>
/// <param name="FeatureNames">The feature columns.</param>
/// <param name="Features">Row-major values: <c>rows x FeatureNames.Count</c>.</param>
/// <param name="Summary">What the build read and how long it took (no write).</param>
/// <param name="Labelling">How the labels were resolved.</param>
public sealed record TransactionTrainingSet(
    string[] TransactionIds, string[] CustomerIds, string[] MerchantIds, long[] TimesMs, long[] AmountCents, bool[] Labels,
    string[] Typologies, IReadOnlyList<string> FeatureNames, double[] Features, TrainingSetSummary Summary, TrainingLabels Labelling)
{
    public int Count => TransactionIds.Length;

    /// <summary>Row <paramref name="row"/>'s feature values.</summary>
    public ReadOnlySpan<double> Row(int row) => Features.AsSpan(row * FeatureNames.Count, FeatureNames.Count);
}
