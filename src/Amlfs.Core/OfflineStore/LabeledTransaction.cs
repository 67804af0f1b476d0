using Amlfs.Transactions;

namespace Amlfs.OfflineStore;

/// <summary>
/// A transaction of the offline store with its ground-truth label: whether it belongs to a laundering pattern and which
/// one (one of <see cref="Typologies.All"/>, an imported dataset's name, or <see cref="Typologies.None"/>).
/// <see cref="IsSuspicious"/> is null for a transaction nobody labelled (live traffic rolled from the write-ahead log),
/// which is neither suspicious nor normal: training sets leave such rows out rather than count them as negatives.
/// </summary>
public sealed record LabeledTransaction(Transaction Transaction, bool? IsSuspicious, string Typology)
{
    /// <summary>
    /// The transaction's write-ahead log sequence (acceptance order, from 1) when it was ingested by a server and rolled
    /// from the log; null for generated or imported rows.
    /// </summary>
    public long? LogSequence { get; init; }
}
