using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Storage;

public sealed class EmbeddedStoreTests
{
    private static readonly IReadOnlyList<Transaction> Stream = StoreScenario.Stream;

    [Fact]
    public void Recovery_from_the_log_alone_reproduces_every_feature_exactly()
    {
        using var dir = new TempDirectory();
        var options = Options(dir);
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(options, engine, TimeProvider.System))
        {
            StoreScenario.Feed(engine, store, Stream);
            Assert.Equal(engine.Accepted, store.LastSequence);
        }

        using var recovered = TestEngines.Inline();
        var log = new LineLogger();
        using var reopened = EmbeddedStore.Open(options, recovered, TimeProvider.System, log);
        using var reference = StoreScenario.Reference(Stream);
        var report = reopened.Recovery;
        Assert.Null(report.SnapshotSequence);
        Assert.Equal(reference.Accepted, report.RecordsReplayed);
        Assert.Equal(0, report.RecordsNotAccepted);
        Assert.Equal(0, report.TornBytesTruncated);
        Assert.Equal(reference.Accepted, report.LastSequence);
        Assert.Contains(log.Messages, l => l.Contains("no snapshot", StringComparison.Ordinal));
        StoreScenario.AssertSameFeatures(reference, recovered, Stream);
    }

    [Fact]
    public void A_threaded_engine_recovers_the_same_features()
    {
        using var dir = new TempDirectory();
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System))
            StoreScenario.Feed(engine, store, Stream);

        var definition = TestEngines.Default;
        using var recovered = new FeatureEngine(FeaturePlan.Compile(definition), EngineOptions.From(definition) with { ShardCount = 2 });
        using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System);
        using var reference = StoreScenario.Reference(Stream);
        StoreScenario.AssertSameFeatures(reference, recovered, Stream);
    }

    [Fact]
    public void Only_accepted_transactions_are_logged()
    {
        using var dir = new TempDirectory();
        var t = Tx.Utc(2026, 3, 10, 12);
        var batch = new[] { Tx.At(t, id: "A"), Tx.At(t + 1, id: "A"), Tx.At(t - 3_600_000, id: "LATE"), Tx.At(t + 2, id: "B") };
        var statuses = new IngestStatus[batch.Length];
        using var engine = TestEngines.Inline();
        using var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System);
        Assert.Equal(2, store.Ingest(batch, statuses));
        Assert.Equal([IngestStatus.Accepted, IngestStatus.Duplicate, IngestStatus.Late, IngestStatus.Accepted], statuses);
        Assert.Equal(["A", "B"], store.Log.ReadFrom(0).Select(r => r.Transaction.TransactionId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Duplicates_sent_after_recovery_are_reported_as_duplicates(bool withSnapshot)
    {
        using var dir = new TempDirectory();
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System))
        {
            StoreScenario.Feed(engine, store, Stream.Take(Stream.Count / 2));
            if (withSnapshot)
                store.WriteSnapshot();
            StoreScenario.Feed(engine, store, Stream.Skip(Stream.Count / 2));
        }

        using var recovered = TestEngines.Inline();
        using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System);
        Assert.Equal(withSnapshot ? Stream.Count / 2 : null, reopened.Recovery.SnapshotSequence);
        var again = new[] { Stream[0], Stream[Stream.Count / 2 - 1], Stream[^1] };
        var statuses = new IngestStatus[again.Length];
        var lastSequence = reopened.LastSequence;
        Assert.Equal(0, reopened.Ingest(again, statuses));
        Assert.All(statuses, s => Assert.Equal(IngestStatus.Duplicate, s));
        Assert.Equal(lastSequence, reopened.LastSequence);
    }

    [Fact]
    public void A_torn_tail_is_cut_and_reported_and_everything_before_it_recovers()
    {
        using var dir = new TempDirectory();
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System))
            StoreScenario.Feed(engine, store, Stream);
        var last = Directory.GetFiles(Path.Combine(dir.Path, "wal"), "*.wal").Order(StringComparer.Ordinal).Last();
        var size = WriteAheadLogTests.RecordSize(Stream[^1]);
        using (var file = new FileStream(last, FileMode.Open))
            file.SetLength(file.Length - size / 2); // the last record, half written when the power went

        using var recovered = TestEngines.Inline();
        using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System);
        Assert.Equal(size - size / 2, reopened.Recovery.TornBytesTruncated);
        Assert.Equal(Stream.Count - 1, reopened.Recovery.RecordsReplayed);
        using var reference = StoreScenario.Reference(Stream.Take(Stream.Count - 1));
        StoreScenario.AssertSameFeatures(reference, recovered, Stream);
    }

    [Fact]
    public void Damage_in_a_middle_segment_stops_recovery_naming_the_file()
    {
        using var dir = new TempDirectory();
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System))
            StoreScenario.Feed(engine, store, Stream);
        var middle = Directory.GetFiles(Path.Combine(dir.Path, "wal"), "*.wal").Order(StringComparer.Ordinal).ElementAt(2);
        var bytes = File.ReadAllBytes(middle);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(middle, bytes);

        using var recovered = TestEngines.Inline();
        var e = Assert.Throws<InvalidDataException>(() => EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System));
        Assert.Contains(Path.GetFileName(middle), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_is_due_after_enough_records_or_enough_time()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var engine = TestEngines.Inline();
        using var store = EmbeddedStore.Open(Options(dir) with { SnapshotEveryRecords = 100, SnapshotInterval = TimeSpan.FromMinutes(5) }, engine, clock);
        Assert.False(store.SnapshotDue);
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(store.SnapshotDue); // nothing new to cover
        StoreScenario.Feed(engine, store, Stream.Take(10));
        Assert.True(store.SnapshotDue); // by time

        using var dir2 = new TempDirectory();
        using var engine2 = TestEngines.Inline();
        using var store2 = EmbeddedStore.Open(Options(dir2) with { SnapshotEveryRecords = 100 }, engine2, clock);
        StoreScenario.Feed(engine2, store2, Stream.Take(99));
        Assert.False(store2.SnapshotDue);
        StoreScenario.Feed(engine2, store2, Stream.Skip(99).Take(1));
        Assert.True(store2.SnapshotDue); // by count
    }

    [Fact]
    public void The_retention_cut_stops_at_the_first_segment_that_is_recent_or_not_covered()
    {
        WalSegment Segment(long first, long last, long maxTime, bool active = false) => new("x.wal", first, last, maxTime, 100, active);
        var segments = new[]
        {
            Segment(1, 10, 1_000), Segment(11, 20, 2_000), Segment(21, 30, 5_000), Segment(31, 40, 2_500), Segment(41, 45, 6_000, active: true),
        };
        Assert.Equal(21, EmbeddedStore.RetentionCut(segments, coveredSequence: 100, horizonMs: 3_000)); // stops at a recent segment
        Assert.Equal(11, EmbeddedStore.RetentionCut(segments, coveredSequence: 19, horizonMs: 10_000)); // stops where the snapshot ends
        Assert.Equal(41, EmbeddedStore.RetentionCut(segments, coveredSequence: 100, horizonMs: 10_000)); // never the active one
        Assert.Equal(0, EmbeddedStore.RetentionCut(segments, coveredSequence: 100, horizonMs: 1_000)); // the horizon is exclusive
    }

    [Fact]
    public void The_default_log_retention_covers_dedup_and_the_longest_window_readable()
    {
        // The longest window a definition may declare (30 days) and its hop (1 day), plus the query history (1 day).
        Assert.Equal(TimeSpan.FromDays(32), EmbeddedStore.DefaultRetention(TestEngines.Default));
        Assert.Equal(TimeSpan.FromDays(40), EmbeddedStore.DefaultRetention(TestEngines.Default with { DedupRetentionMs = 40 * 86_400_000L }));
    }

    [Fact]
    public void Invalid_options_are_reported_by_name()
    {
        var errors = new EmbeddedStoreOptions
        {
            DataDirectory = " ",
            FlushPolicy = (WalFlushPolicy)7,
            FlushInterval = TimeSpan.FromSeconds(-1),
            SegmentBytes = 100,
            SnapshotInterval = TimeSpan.Zero,
            SnapshotEveryRecords = 0,
            LogRetention = TimeSpan.FromDays(-1),
            KeepSnapshots = 0,
        }.Validate();
        foreach (var name in new[] { "DataDirectory", "FlushPolicy", "FlushInterval", "SegmentBytes", "SnapshotInterval", "SnapshotEveryRecords", "LogRetention", "KeepSnapshots" })
            Assert.Contains(errors, e => e.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.Empty(new EmbeddedStoreOptions().Validate());
        using var engine = TestEngines.Inline();
        var e = Assert.Throws<ArgumentException>(() => EmbeddedStore.Open(new EmbeddedStoreOptions { SegmentBytes = 1 }, engine, TimeProvider.System));
        Assert.Contains("SegmentBytes", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Small segments (about 40 records each) so that every test crosses several; no fsync per commit.</summary>
    internal static EmbeddedStoreOptions Options(TempDirectory dir) => new()
    {
        DataDirectory = dir.Path,
        SegmentBytes = WalOptions.MinSegmentBytes,
        FlushPolicy = WalFlushPolicy.None,
    };
}
