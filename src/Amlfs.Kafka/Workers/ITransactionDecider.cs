using Amlfs.Decisions;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// Decides accepted transactions for a <see cref="KafkaWorker"/>: the active model's verdict on each, as of its own
/// time, from the features in the online store (which the worker has written up to and including the batch) and the
/// transaction's request features, as an API replica's <c>/predict</c> scores it. The worker calls it on its own thread,
/// one batch at a time, and publishes what it returns to the decisions topic.
/// </summary>
public interface ITransactionDecider
{
    /// <summary>
    /// One decision per transaction, in order; <paramref name="sequences"/> are the transactions' offsets in their
    /// partition plus one. Null when the features cannot be read now (the online store is unavailable): the worker keeps
    /// the transactions and asks again later, and no checkpoint passes them meanwhile.
    /// </summary>
    ValueTask<IReadOnlyList<Decision>?> DecideAsync(IReadOnlyList<Transaction> transactions, IReadOnlyList<long> sequences, CancellationToken cancellationToken);
}
