using Amlfs.Decisions;
using Amlfs.Parquet.Decisions;
using Amlfs.Scoring;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Tests;

public sealed class DecisionLogFilesTests
{
    [Fact]
    public async Task Decisions_read_back_exactly_with_the_explanation_of_those_that_alert()
    {
        using var directory = new TempDirectory();
        var day1 = Tx.Utc(2026, 3, 10, 23, 59, 59, 999);
        Decision[] decisions =
        [
            new("T1", "C1", "M1", DestinationType.Merchant, 12_345, day1, 41, day1 + 3, 0.1 + 0.2, RiskLevel.Low, "rules-v1"),
            new("T2", "C2", "C3", DestinationType.Account, 875_000, day1 + 1, 42, day1 + 4, 0.9987, RiskLevel.High, "gbt-3")
            {
                AnomalyScore = 0.61,
                Contributions = [new("txn_amount_sum_5m", 8_750, 1.25), new("unique_ips_1h", 3, -0.5)],
            },
        ];

        var files = await DecisionLogFiles.WriteAsync(directory.Path, decisions, throughSequence: 42);
        var (read, through) = await DecisionLogFiles.ReadAsync(directory.Path);

        Assert.Equal(2, files.Count); // one per UTC day of the transactions' times
        Assert.Contains(Path.Combine("decisions", "date=2026-03-11"), files[1], StringComparison.Ordinal);
        Assert.Equal(42, through);
        var low = read.Single(d => d.TransactionId == "T1");
        Assert.Equal(decisions[0], low with { Contributions = null });
        Assert.Null(low.Contributions);
        Assert.Null(low.AnomalyScore);
        var high = read.Single(d => d.TransactionId == "T2");
        Assert.Equal((DestinationType.Account, 875_000L, RiskLevel.High, 0.9987, (double?)0.61), (high.DestinationType, high.AmountCents, high.Level, high.Score, high.AnomalyScore));
        Assert.Equal(decisions[1].Contributions, high.Contributions);
    }

    [Fact]
    public async Task An_empty_log_holds_nothing_and_resumes_from_the_start()
    {
        using var directory = new TempDirectory();

        var (read, through) = await DecisionLogFiles.ReadAsync(directory.Path);

        Assert.Empty(read);
        Assert.Equal(0, through);
    }
}
