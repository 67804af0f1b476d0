using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>One event of a <see cref="Replay"/>: a transaction and the log sequence a log gave it.</summary>
/// <param name="Transaction">The transaction.</param>
/// <param name="LogSequence">Its sequence in the write-ahead log or a Kafka partition; 0 for history from before the
/// log (generated or imported rows), which leaves the engine's <see cref="FeatureEngine.LogSequence"/> as it is.</param>
public readonly record struct ReplayEvent(Transaction Transaction, long LogSequence = 0);
