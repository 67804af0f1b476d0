using Amlfs.Transactions;

namespace Amlfs.Storage;

/// <summary>One record of the write-ahead log: an accepted transaction and its position in the accepted history.</summary>
/// <param name="Sequence">The record's sequence number: gapless, starting at 1, in acceptance order.</param>
/// <param name="Transaction">The accepted transaction, every field as it was appended.</param>
public readonly record struct WalRecord(long Sequence, Transaction Transaction);
