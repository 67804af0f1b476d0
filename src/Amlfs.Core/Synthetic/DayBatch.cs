using Amlfs.OfflineStore;

namespace Amlfs.Synthetic;

/// <summary>
/// One UTC day of synthetic history: every transaction with a timestamp in [<see cref="Date"/> 00:00Z, next day 00:00Z),
/// sorted by (timestamp, transaction id). Consecutive batches are therefore in global time order.
/// </summary>
/// <param name="Index">The day's position in the run, 0 for <see cref="SyntheticOptions.Start"/>.</param>
/// <param name="Date">The UTC date.</param>
/// <param name="Transactions">The day's transactions, normal and suspicious.</param>
public sealed record DayBatch(int Index, DateOnly Date, IReadOnlyList<LabeledTransaction> Transactions);
