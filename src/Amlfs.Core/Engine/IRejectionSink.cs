using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>Where rejected transactions go (late, future), so that nothing is silently dropped: a dead-letter file or topic.</summary>
public interface IRejectionSink
{
    void Rejected(Transaction transaction, IngestStatus reason);
}
