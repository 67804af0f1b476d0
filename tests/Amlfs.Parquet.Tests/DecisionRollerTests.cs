using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Decisions;
using Amlfs.Parquet.Roll;
using Amlfs.Scoring;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Tests;

public sealed class DecisionRollerTests
{
    private static readonly long Day1 = Tx.Utc(2026, 3, 10, 23, 59, 59, 999);

    [Fact]
    public async Task Decisions_roll_into_day_partitions_and_read_back_exactly_with_the_explanation_of_those_that_alert()
    {
        using var directory = new TempDirectory();
        Decision[] decisions =
        [
            new("T1", "C1", "M1", DestinationType.Merchant, 12_345, Day1, 41, Day1 + 3, 0.1 + 0.2, RiskLevel.Low, "rules-v1"),
            new("T2", "C2", "C3", DestinationType.Account, 875_000, Day1 + 1, 42, Day1 + 4, 0.9987, RiskLevel.High, "gbt-3")
            {
                AnomalyScore = 0.61,
                Contributions = [new("txn_amount_sum_5m", 8_750, 1.25), new("unique_ips_1h", 3, -0.5)],
            },
        ];
        var roller = await DecisionRoller.OpenAsync(directory.Path, logFirstSequence: 41);

        var result = await roller.RollAsync(decisions);
        var read = await DecisionTable.ReadAsync(directory.Path);

        Assert.Equal((2L, 2, 42L), (result.Records, result.Files, roller.RolledSequence)); // one file per UTC day of the transactions' times
        Assert.Equal(["2026-03-10", "2026-03-11"], DatasetLayout.DatasetPartitionDates(DatasetLayout.DecisionsDirectory(directory.Path)).Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        var low = read.Single(d => d.TransactionId == "T1");
        Assert.Equal(decisions[0], low with { Contributions = null });
        Assert.Null(low.Contributions);
        Assert.Null(low.AnomalyScore);
        var high = read.Single(d => d.TransactionId == "T2");
        Assert.Equal((DestinationType.Account, 875_000L, RiskLevel.High, 0.9987, (double?)0.61), (high.DestinationType, high.AmountCents, high.Level, high.Score, high.AnomalyScore));
        Assert.Equal(decisions[1].Contributions, high.Contributions);
    }

    [Fact]
    public async Task Rolling_again_after_a_reopen_writes_nothing_twice_and_continues_after_the_horizon()
    {
        using var directory = new TempDirectory();
        var logDirectory = DatasetLayout.DecisionLogDirectory(directory.Path);
        using (var log = DecisionLog.Open(logDirectory, new WalOptions { FlushPolicy = WalFlushPolicy.None }, firstSequence: 1))
        {
            for (var s = 1; s <= 30; s++)
            {
                log.Append(new Decision("T" + s, "C", "M", DestinationType.Merchant, s, Day1 - 60_000 + s, s, Day1, 0.5, RiskLevel.Medium, "v"));
                if (s == 20)
                {
                    log.Commit();
                    var first = await DecisionRoller.OpenAsync(directory.Path, log.FirstSequence);
                    await first.RollAsync(log.ReadFrom(0));
                }
            }

            log.Commit();
            var reopened = await DecisionRoller.OpenAsync(directory.Path, log.FirstSequence);
            Assert.Equal(20, reopened.RolledSequence);
            var result = await reopened.RollAsync(log.ReadFrom(0));
            Assert.Equal((10L, 30L), (result.Records, reopened.RolledSequence));
        }

        var read = await DecisionTable.ReadAsync(directory.Path);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), read.Select(d => d.LogSequence).Order());
        Assert.Equal(2, (await DecisionRoller.ScanAsync(directory.Path)).Count);
    }
}
