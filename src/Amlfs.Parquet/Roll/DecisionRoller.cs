using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Decisions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Parquet.Roll;

/// <summary>
/// Rolls the decision log into the offline store's decisions table (<see cref="DecisionTable"/>), idempotent and
/// crash-safe as every roll of a log is (<see cref="SequencedRoll{TRecord}"/>): its horizon is read back from the
/// files' names, so the decision log's segments up to it may be deleted.
/// <para>One caller at a time: <see cref="RollAsync"/> is not reentrant; <see cref="RolledSequence"/> may be read from any thread.</para>
/// </summary>
public sealed class DecisionRoller
{
    /// <summary>Most decisions in one batch.</summary>
    public const int DefaultBatchRecords = 250_000;

    private readonly SequencedRoll<Decision> _roll;

    private DecisionRoller(SequencedRoll<Decision> roll) => _roll = roll;

    /// <summary>The log sequence up to which every decision is in the offline store (0 when none is).</summary>
    public long RolledSequence => _roll.RolledSequence;

    /// <summary>
    /// Reads the rolled horizon under <paramref name="dataDirectory"/>, deleting a torn newest batch whose decisions the
    /// decision log still holds (it starts at <paramref name="logFirstSequence"/>).
    /// </summary>
    public static async Task<DecisionRoller> OpenAsync(string dataDirectory, long logFirstSequence, int batchRecords = DefaultBatchRecords,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var roll = await SequencedRoll<Decision>.OpenAsync(DatasetLayout.DecisionsDirectory(dataDirectory), logFirstSequence, batchRecords,
            d => d.EventTimeMs, WriteRowsAsync, logger, cancellationToken).ConfigureAwait(false);
        return new DecisionRoller(roll);
    }

    /// <summary>The rolled batches under <paramref name="dataDirectory"/>, oldest first.</summary>
    public static Task<IReadOnlyList<RolledBatch>> ScanAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return SequencedRoll<Decision>.ScanAsync(DatasetLayout.DecisionsDirectory(dataDirectory), cancellationToken);
    }

    /// <summary>Rolls the decisions (in sequence order) after <see cref="RolledSequence"/>; those at or below it are skipped.</summary>
    public Task<LogRollResult> RollAsync(IEnumerable<Decision> decisions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        return _roll.RollAsync(decisions.Select(d => (d.LogSequence, d)), cancellationToken);
    }

    private static Task WriteRowsAsync(Stream stream, IReadOnlyList<(long Sequence, Decision Record)> rows, CancellationToken cancellationToken) =>
        DecisionTable.WriteRowsAsync(stream, rows.Select(r => r.Record).ToList(), cancellationToken);
}
