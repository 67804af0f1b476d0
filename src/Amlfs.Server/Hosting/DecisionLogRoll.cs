using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Roll;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// The decision log as <see cref="LogRollService"/> rolls it, into the offline store's decisions table
/// (<see cref="DecisionRoller"/>). Its retention is the decision stream's, the log's one writer: it deletes every
/// segment once it is rolled (<see cref="DecisionLog.DeleteSegmentsBefore"/> below <see cref="RolledSequence"/>).
/// </summary>
internal sealed partial class DecisionLogRoll(DecisionLog log, DecisionRoller roller, ILogger logger) : IRolledLog
{
    public long RolledSequence => roller.RolledSequence;

    public long SealedThrough => log.SealedThrough;

    public Task<LogRollResult> RollSealedAsync(long throughSequence) =>
        roller.RollAsync(DecisionLog.ReadFiles(log.Directory, roller.RolledSequence, throughSequence), CancellationToken.None);

    public Task<LogRollResult> RollRestAsync() => roller.RollAsync(log.ReadFrom(roller.RolledSequence), CancellationToken.None);

    public void Rolled(LogRollResult result)
    {
        if (result.Records > 0)
            LogRolled(logger, result.Records, result.Files, result.RolledSequence);
    }

    public void RollFailed(Exception exception) => LogRollFailed(logger, exception);
}
