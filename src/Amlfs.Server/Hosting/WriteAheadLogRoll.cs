using Amlfs.OfflineStore;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// The write-ahead log as <see cref="LogRollService"/> rolls it, into the offline store's transactions
/// (<see cref="IOfflineStoreRoll"/>). Its retention is the store's: each roll reports its horizon to
/// <see cref="EmbeddedStore.RolledSequence"/>, and the snapshot's retention deletes only segments that are rolled and
/// decided (<see cref="EmbeddedStore.DecidedSequence"/>).
/// </summary>
internal sealed partial class WriteAheadLogRoll(EmbeddedStore store, IOfflineStoreRoll roller, ILogger logger) : IRolledLog
{
    public long RolledSequence => roller.RolledSequence;

    public long SealedThrough => store.Log.SealedThrough;

    public Task<LogRollResult> RollSealedAsync(long throughSequence) =>
        roller.RollAsync(WalFiles.Read(store.Log.Directory, roller.RolledSequence, throughSequence), CancellationToken.None);

    public Task<LogRollResult> RollRestAsync() => roller.RollAsync(store.Log.ReadFrom(roller.RolledSequence), CancellationToken.None);

    public void Rolled(LogRollResult result)
    {
        store.RolledSequence = result.RolledSequence;
        if (result.Records > 0)
            LogRolled(logger, result.Records, result.Files, result.RolledSequence);
    }

    public void RollFailed(Exception exception) => LogRollFailed(logger, exception);
}
