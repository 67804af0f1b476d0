using Amlfs.OfflineStore;

namespace Amlfs.Server.Hosting;

/// <summary>
/// A segment log as <see cref="LogRollService"/> rolls it into the offline store: how far it is rolled, how far its
/// segments are sealed, how its records are read and rolled, and what its retention and its log messages make of each
/// roll. <see cref="WriteAheadLogRoll"/> and <see cref="DecisionLogRoll"/> are the two.
/// </summary>
internal interface IRolledLog
{
    /// <summary>The log sequence up to which the records are in the offline store; any thread may read it.</summary>
    long RolledSequence { get; }

    /// <summary>Records up to this sequence lie in sealed segments, which a reader beside the writer may read; any thread may read it.</summary>
    long SealedThrough { get; }

    /// <summary>Rolls the records after <see cref="RolledSequence"/> through <paramref name="throughSequence"/>, read from the sealed segments' files beside the writer.</summary>
    Task<LogRollResult> RollSealedAsync(long throughSequence);

    /// <summary>Rolls every record after <see cref="RolledSequence"/> through the log's own reader, which sees the active segment too: only once the writer has stopped.</summary>
    Task<LogRollResult> RollRestAsync();

    /// <summary>Reports a roll that succeeded (or, with no records, the horizon read at start) to the log's retention and its log.</summary>
    void Rolled(LogRollResult result);

    /// <summary>Reports a roll that failed; the log keeps the records, and a later roll tries again.</summary>
    void RollFailed(Exception exception);
}
