using Amlfs.Decisions;
using Amlfs.Parquet.Decisions;
using Amlfs.Parquet.Roll;
using Amlfs.Scoring;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Tests;

/// <summary>A decision found in the decisions table by its transaction id, without reading the whole table.</summary>
public sealed class DecisionTableLookupTests
{
    private static readonly long Day1 = Tx.Utc(2026, 3, 10, 12);
    private static readonly long Day2 = Tx.Utc(2026, 3, 11, 12);

    [Fact]
    public async Task A_decision_is_found_in_any_row_group_of_any_day_and_a_day_narrows_the_search()
    {
        using var directory = new TempDirectory();
        // Ids in no order (so that no row group's statistics leave one out), over two days, in several row groups.
        var count = DecisionTable.RowGroupRows + 20_000;
        var ids = Enumerable.Range(0, count).Select(i => $"T{(i * 7919L) % count:D6}").ToArray();
        var roller = await DecisionRoller.OpenAsync(directory.Path, logFirstSequence: 1);
        await roller.RollAsync(ids.Select((id, i) => Decided(id, i + 1, i < count - 1_000 ? Day1 : Day2)));

        foreach (var (id, sequence) in new[] { (ids[0], 1L), (ids[DecisionTable.RowGroupRows + 5], DecisionTable.RowGroupRows + 6L), (ids[^1], count) })
        {
            var found = await DecisionTable.FindAsync(directory.Path, id, day: null, maxRows: long.MaxValue);
            Assert.Equal((id, sequence, true), (found.Decision?.TransactionId, found.Decision?.LogSequence, found.Complete));
        }

        var miss = await DecisionTable.FindAsync(directory.Path, "T000001x", day: null, maxRows: long.MaxValue);
        Assert.Equal((null, true), (miss.Decision, miss.Complete));
        Assert.InRange(miss.RowsRead, DecisionTable.RowGroupRows, count); // the groups whose statistics may hold it, read whole
        // The second day holds the last thousand: its partition alone is read.
        var narrowed = await DecisionTable.FindAsync(directory.Path, ids[^1], DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(Day2).UtcDateTime), long.MaxValue);
        Assert.Equal((ids[^1], 1_000L), (narrowed.Decision?.TransactionId, narrowed.RowsRead));
        var elsewhere = await DecisionTable.FindAsync(directory.Path, ids[0], DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(Day2).UtcDateTime), long.MaxValue);
        Assert.Null(elsewhere.Decision);
        // A bound smaller than the table stops the search, unfinished, before it reads past the bound.
        var bounded = await DecisionTable.FindAsync(directory.Path, ids[0], day: null, maxRows: 30_000);
        Assert.Equal((null, false), (bounded.Decision, bounded.Complete));
        Assert.True(bounded.RowsRead <= 30_000);
    }

    [Fact]
    public async Task Row_group_statistics_skip_what_cannot_hold_the_id_and_compare_as_ordinal_text()
    {
        using var directory = new TempDirectory();
        // Ordinal order puts upper case before lower case ("B" < "a"); a culture's order would not, and a lookup of "B"
        // would then skip the group that holds it.
        var roller = await DecisionRoller.OpenAsync(directory.Path, logFirstSequence: 1);
        await roller.RollAsync([Decided("a", 1, Day1), Decided("B", 2, Day1), Decided("b-1", 3, Day1)]);

        Assert.Equal(2, (await DecisionTable.FindAsync(directory.Path, "B", null, long.MaxValue)).Decision?.LogSequence);
        Assert.Equal(3, (await DecisionTable.FindAsync(directory.Path, "b-1", null, long.MaxValue)).Decision?.LogSequence);
        var outside = await DecisionTable.FindAsync(directory.Path, "c", null, long.MaxValue);
        Assert.Equal((null, 0L, true), (outside.Decision, outside.RowsRead, outside.Complete)); // above the maximum: nothing read
    }

    private static Decision Decided(string id, long sequence, long timeMs) =>
        new(id, "C" + (sequence % 7), "M" + (sequence % 3), DestinationType.Merchant, 1_000 + sequence, timeMs + sequence, sequence, timeMs + sequence + 5,
            0.25, RiskLevel.Low, "rules-1");
}
