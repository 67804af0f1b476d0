using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// Receives each batch a <see cref="Replay"/> handed to its engine, once the engine has admitted it: the transactions,
/// their log sequences and the engine's decision on each (all three the same length). The spans are valid only during
/// the call.
/// </summary>
public delegate void ReplayFed(ReadOnlySpan<Transaction> transactions, ReadOnlySpan<long> logSequences, ReadOnlySpan<IngestStatus> statuses);
