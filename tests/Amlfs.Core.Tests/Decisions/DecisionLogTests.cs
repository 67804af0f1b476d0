using Amlfs.Decisions;
using Amlfs.Scoring;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Decisions;

public sealed class DecisionLogTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 10, 12);
    private static readonly WalOptions Small = new() { SegmentBytes = WalOptions.MinSegmentBytes, FlushPolicy = WalFlushPolicy.None };

    [Fact]
    public void Every_field_round_trips_with_and_without_an_explanation()
    {
        using var dir = new TempDirectory();
        var written = new[]
        {
            Decided(5, RiskLevel.High) with
            {
                AnomalyScore = 0.25,
                DestinationType = DestinationType.Account,
                CustomerId = "CUST_ação-💸",
                Contributions = [new("amount", 8750, 1.5), new("unique_ips_1h", 3, -0.25), new("shared_device_accounts_24h", double.NaN, 0)],
            },
            Decided(6, RiskLevel.Low) with { FeaturesAsOfMs = Start - 3_600_000 },
            Decided(7, RiskLevel.Medium) with { Contributions = [] },
        };
        using (var log = DecisionLog.Open(dir.Path, Small, firstSequence: 5))
        {
            foreach (var decision in written)
                log.Append(decision);
            log.Commit();
        }

        using var reopened = DecisionLog.Open(dir.Path, Small, firstSequence: 1);
        var read = reopened.ReadFrom(0).ToList();
        Assert.Equal(written.Select(Text), read.Select(Text));
        Assert.Equal((5L, 7L), (reopened.FirstSequence, reopened.LastSequence));
    }

    [Fact]
    public void A_decision_out_of_sequence_is_refused_and_nothing_is_appended()
    {
        using var dir = new TempDirectory();
        using var log = DecisionLog.Open(dir.Path, Small, firstSequence: 10);
        log.Append(Decided(10, RiskLevel.Low));

        var skipped = Assert.Throws<ArgumentException>(() => log.Append(Decided(12, RiskLevel.Low)));
        var repeated = Assert.Throws<ArgumentException>(() => log.Append(Decided(10, RiskLevel.Low)));

        Assert.Contains("expects 11", skipped.Message, StringComparison.Ordinal);
        Assert.Contains("expects 11", repeated.Message, StringComparison.Ordinal);
        Assert.Equal(10, log.LastSequence);
    }

    [Fact]
    public void A_torn_tail_is_cut_and_deciding_resumes_after_the_last_whole_decision()
    {
        using var dir = new TempDirectory();
        using (var log = DecisionLog.Open(dir.Path, Small, firstSequence: 1))
        {
            for (var s = 1; s <= 3; s++)
                log.Append(Decided(s, RiskLevel.Low));
            log.Commit();
        }

        var segment = Directory.EnumerateFiles(dir.Path, "*.wal").Single();
        var bytes = File.ReadAllBytes(segment);
        File.WriteAllBytes(segment, bytes[..^5]); // the last record loses its tail, as a crash mid-write leaves it

        using var reopened = DecisionLog.Open(dir.Path, Small, firstSequence: 1);
        Assert.Equal(2, reopened.LastSequence);
        Assert.True(reopened.TruncatedBytes > 0);
        reopened.Append(Decided(3, RiskLevel.High));
        reopened.Commit();
        Assert.Equal([1L, 2, 3], reopened.ReadFrom(0).Select(d => d.LogSequence));
    }

    [Fact]
    public void A_reader_beside_the_writer_reads_sealed_segments_and_a_write_ahead_log_segment_is_not_taken_for_a_decision_segment()
    {
        using var dir = new TempDirectory();
        using (var log = DecisionLog.Open(dir.Path, Small, firstSequence: 1))
        {
            for (var s = 1; s <= 200; s++)
                log.Append(Decided(s, s % 10 == 0 ? RiskLevel.High : RiskLevel.Low) with { Contributions = s % 10 == 0 ? [new("amount", s, 0.5)] : null });
            log.Commit();
            Assert.True(log.SealedThrough > 0, "no segment was sealed");
            var sealedThrough = log.SealedThrough;

            Assert.Equal(Enumerable.Range(1, (int)sealedThrough).Select(i => (long)i), DecisionLog.ReadFiles(dir.Path, 0, sealedThrough).Select(d => d.LogSequence));
        }

        using var walDir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(walDir.Path, Small))
        {
            wal.Append(new Transaction { TransactionId = "T", CustomerId = "C", MerchantId = "M", AmountCents = 1, TimestampMs = Start });
            wal.Commit();
        }

        var wrong = Assert.Throws<InvalidDataException>(() => DecisionLog.Open(walDir.Path, Small, firstSequence: 1));
        Assert.Contains("bad magic", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_is_found_by_its_transaction_id_beside_the_writer_the_newest_segment_first()
    {
        using var dir = new TempDirectory();
        using var log = DecisionLog.Open(dir.Path, Small, firstSequence: 1);
        for (var s = 1; s <= 200; s++)
        {
            // T1 comes again at sequence 150, in a later segment: the newest is the one found.
            log.Append(s == 150 ? Decided(s, RiskLevel.High) with { TransactionId = "T1" } : Decided(s, RiskLevel.Low));
            if (s % 10 == 0)
                log.Commit();
        }

        Assert.True(log.SegmentCount > 3);
        Assert.Equal(Text(Decided(2, RiskLevel.Low)), Text(DecisionLog.FindInFiles(dir.Path, "T2")!));
        Assert.Equal(200, DecisionLog.FindInFiles(dir.Path, "T200")?.LogSequence); // in the active segment, being written
        Assert.Equal(150, DecisionLog.FindInFiles(dir.Path, "T1")?.LogSequence);
        Assert.Null(DecisionLog.FindInFiles(dir.Path, "T2x"));
        Assert.Null(DecisionLog.FindInFiles(dir.Path, "T")); // a prefix of every id is none of them
        Assert.Null(DecisionLog.FindInFiles(Path.Combine(dir.Path, "missing"), "T2"));

        log.DeleteSegmentsBefore(100);
        Assert.Null(DecisionLog.FindInFiles(dir.Path, "T2")); // its segment is gone
        Assert.Equal(120, DecisionLog.FindInFiles(dir.Path, "T120")?.LogSequence);
    }

    private static Decision Decided(long sequence, RiskLevel level) =>
        new("T" + sequence, "C" + (sequence % 3), "M" + (sequence % 5), DestinationType.Merchant, 100_00 + sequence, Start + (sequence * 1000),
            sequence, Start + (sequence * 1000) + 7, level switch { RiskLevel.High => 0.9, RiskLevel.Medium => 0.45, _ => 0.05 }, level, "gbm-20260310");

    private static string Text(Decision d) =>
        $"{d with { Contributions = null }}|{(d.Contributions is null ? "none" : string.Join(";", d.Contributions))}";
}
