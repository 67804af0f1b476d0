using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Decisions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Decisions;

/// <summary>
/// The decisions of the embedded server that the <see cref="DecisionFeed"/> no longer holds, found by transaction id:
/// first in the decision log's segments that are not rolled yet (<see cref="DecisionLog.FindInFiles"/>), then in the
/// offline store's decisions table (<see cref="DecisionTable.FindAsync"/>). The roll writes a decision to the table
/// before it deletes the segment that held it, so looking in that order never misses one that moves meanwhile.
/// <para>
/// What a lookup costs, and its bounds. The log part reads the segments newest first, comparing each record's
/// transaction id as bytes: a decision evicted from the feed a moment ago lies in the newest segment; a miss reads every
/// segment the log holds, which the roll keeps to the active one (at most <c>--wal-segment-bytes</c>, 64 MB, about half
/// a million decisions) plus any sealed since the last roll; on the 2-core development machine about 60 ms per
/// million decisions. The table part skips every row group whose <c>transaction_id</c> statistics leave the id out
/// (all of them but one when ids increase, as generated ones do), reads only that column of the others, and decodes
/// the one row group of at most 50,000 rows that holds the match: about a microsecond per id read. It looks at the
/// partition of the transaction's day when that is known, else at the newest partitions first, and stops after
/// <see cref="MaxTableRows"/> ids, saying so. One lookup runs at a time; others wait their turn, so that a burst of
/// misses costs one core at most.
/// </para>
/// </summary>
internal sealed partial class DecisionArchive(string dataDirectory, ILogger<DecisionArchive> logger) : IDisposable
{
    /// <summary>The most transaction ids one lookup reads from the decisions table: about a second of work.</summary>
    public const long MaxTableRows = 1_000_000;

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>
    /// The decision about <paramref name="transactionId"/> in the decision log or the decisions table; with
    /// <paramref name="day"/> (the UTC day of the transaction's time) only that day's partition of the table is read.
    /// </summary>
    public async Task<DecisionSearch> FindAsync(string transactionId, DateOnly? day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionId);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var problems = new List<string>();
            try
            {
                if (DecisionLog.FindInFiles(DatasetLayout.DecisionLogDirectory(dataDirectory), transactionId) is { } logged)
                    return new DecisionSearch(logged, DecisionSearch.InDecisionLog, Complete: true, Problems: []);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                LogLookupFailed(logger, transactionId, "decision log", e);
                problems.Add("the decision log could not be read: " + e.Message);
            }

            try
            {
                var table = await DecisionTable.FindAsync(dataDirectory, transactionId, day, MaxTableRows, cancellationToken).ConfigureAwait(false);
                return new DecisionSearch(table.Decision, table.Decision is null ? null : DecisionSearch.InOfflineStore, table.Complete, problems);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                LogLookupFailed(logger, transactionId, "decisions table", e);
                problems.Add("the offline decisions table could not be read: " + e.Message);
                return new DecisionSearch(null, null, Complete: false, problems);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
