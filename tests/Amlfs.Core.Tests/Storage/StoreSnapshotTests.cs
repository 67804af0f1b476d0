using Amlfs.Registry;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Storage;

/// <summary>Recovery through engine snapshots: the store's half of the snapshot contract.</summary>
public sealed class StoreSnapshotTests
{
    private static readonly IReadOnlyList<Transaction> Stream = StoreScenario.Stream;

    [Fact]
    public void Recovery_from_a_snapshot_and_later_records_reproduces_every_feature_exactly()
    {
        using var dir = new TempDirectory();
        var half = Stream.Count / 2;
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System))
        {
            StoreScenario.Feed(engine, store, Stream.Take(half));
            var file = store.WriteSnapshot();
            Assert.Equal(half, file.Sequence);
            Assert.Equal(half, store.SnapshotSequence);
            StoreScenario.Feed(engine, store, Stream.Skip(half));
        }

        using var recovered = TestEngines.Inline();
        using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System);
        Assert.Equal(half, reopened.Recovery.SnapshotSequence);
        Assert.Equal(Stream.Count - half, reopened.Recovery.RecordsReplayed);
        Assert.Equal(0, reopened.Recovery.RecordsNotAccepted);
        using var reference = StoreScenario.Reference(Stream);
        StoreScenario.AssertSameFeatures(reference, recovered, Stream);
    }

    [Fact]
    public void A_snapshot_of_everything_recovers_without_replaying_anything()
    {
        using var dir = new TempDirectory();
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System))
        {
            StoreScenario.Feed(engine, store, Stream);
            store.WriteSnapshot();
            Assert.False(store.SnapshotDue);
        }

        using var recovered = TestEngines.Inline();
        using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System);
        Assert.Equal(Stream.Count, reopened.Recovery.SnapshotSequence);
        Assert.Equal(0, reopened.Recovery.RecordsReplayed);
        using var reference = StoreScenario.Reference(Stream);
        StoreScenario.AssertSameFeatures(reference, recovered, Stream);
    }

    [Fact]
    public void A_corrupt_newest_snapshot_falls_back_to_the_older_one_and_then_to_the_whole_log()
    {
        using var dir = new TempDirectory();
        var third = Stream.Count / 3;
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System))
        {
            StoreScenario.Feed(engine, store, Stream.Take(third));
            store.WriteSnapshot();
            StoreScenario.Feed(engine, store, Stream.Skip(third).Take(third));
            store.WriteSnapshot();
            StoreScenario.Feed(engine, store, Stream.Skip(2 * third));
        }

        var snapshots = new SnapshotFiles(Path.Combine(dir.Path, "snapshots")).List();
        Assert.Equal([2L * third, third], snapshots.Select(s => s.Sequence));
        Damage(snapshots[0].Path);
        using var reference = StoreScenario.Reference(Stream);
        using (var recovered = TestEngines.Inline())
        {
            var log = new LineLogger();
            using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System, log);
            Assert.Equal(third, reopened.Recovery.SnapshotSequence);
            Assert.Equal(1, reopened.Recovery.SnapshotsSkipped);
            Assert.Equal(Stream.Count - third, reopened.Recovery.RecordsReplayed);
            Assert.Contains(log.Messages, l => l.Contains("checksum mismatch", StringComparison.Ordinal));
            StoreScenario.AssertSameFeatures(reference, recovered, Stream);
        }

        Damage(snapshots[1].Path);
        using (var recovered = TestEngines.Inline())
        {
            using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System);
            Assert.Null(reopened.Recovery.SnapshotSequence);
            Assert.Equal(2, reopened.Recovery.SnapshotsSkipped);
            Assert.Equal(Stream.Count, reopened.Recovery.RecordsReplayed);
            StoreScenario.AssertSameFeatures(reference, recovered, Stream);
        }
    }

    [Fact]
    public void Snapshots_written_for_other_definitions_lead_to_a_whole_log_rebuild()
    {
        using var dir = new TempDirectory();
        WriteWithSnapshot(dir);

        // A different hop changes the tiles the state holds: the snapshot cannot serve, the log rebuilds everything.
        var edited = DefinitionsLoader.Parse(DefinitionTexts.DefaultWith("hop: 5m", "hop: 10m"), "features.yaml");
        using var recovered = TestEngines.Inline(edited);
        var log = new LineLogger();
        using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System, log);
        Assert.Null(reopened.Recovery.SnapshotSequence);
        Assert.Equal(1, reopened.Recovery.SnapshotsSkipped);
        Assert.Equal(Stream.Count, reopened.Recovery.RecordsReplayed);
        Assert.Equal(0, reopened.Recovery.RecordsNotAccepted);
        Assert.Contains(log.Messages, l => l.Contains("other definitions", StringComparison.Ordinal));
        using var reference = StoreScenario.Reference(Stream, edited);
        StoreScenario.AssertSameFeatures(reference, recovered, Stream);
    }

    [Fact]
    public void A_feature_that_reads_the_stored_state_differently_keeps_the_snapshot_usable()
    {
        using var dir = new TempDirectory();
        WriteWithSnapshot(dir);

        // An exact 1 h window with an hour filter reads the raw events the state already keeps.
        var edited = DefinitionsLoader.Parse(DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature), "features.yaml");
        using var recovered = TestEngines.Inline(edited);
        using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System);
        Assert.Equal(Stream.Count - 100, reopened.Recovery.SnapshotSequence);
        using var reference = StoreScenario.Reference(Stream, edited);
        Assert.Contains(reference.Plan.Entity("customer")!.Features, f => f.Name == "peak_hours_txn_count_1h");
        StoreScenario.AssertSameFeatures(reference, recovered, Stream);
    }

    [Fact]
    public void A_snapshot_whose_checksum_holds_but_that_the_engine_cannot_read_is_skipped()
    {
        using var dir = new TempDirectory();
        WriteWithSnapshot(dir);
        new SnapshotFiles(Path.Combine(dir.Path, "snapshots")).Write(Stream.Count, s => s.Write("not an engine snapshot"u8));

        using var recovered = TestEngines.Inline();
        var log = new LineLogger();
        using var reopened = EmbeddedStore.Open(Options(dir), recovered, TimeProvider.System, log);
        Assert.Equal(Stream.Count - 100, reopened.Recovery.SnapshotSequence);
        Assert.Equal(1, reopened.Recovery.SnapshotsSkipped);
        Assert.Contains(log.Messages, l => l.Contains("the engine could not read it", StringComparison.Ordinal));
        using var reference = StoreScenario.Reference(Stream);
        StoreScenario.AssertSameFeatures(reference, recovered, Stream);
    }

    [Fact]
    public void Retention_keeps_every_segment_that_is_not_rolled_into_the_offline_store()
    {
        using var dir = new TempDirectory();
        var options = Options(dir) with { LogRetention = TimeSpan.Zero, RetainUnrolledLog = true };
        using var engine = TestEngines.Inline();
        using var store = EmbeddedStore.Open(options, engine, TimeProvider.System);
        StoreScenario.Feed(engine, store, Stream);
        var segments = store.Log.Segments;
        Assert.True(segments.Count >= 3, $"only {segments.Count} segments");

        store.WriteSnapshot();
        Assert.Equal(segments.Count, store.Log.SegmentCount); // nothing rolled: nothing deleted

        store.RolledSequence = segments[1].LastSequence;
        store.RolledSequence = segments[0].LastSequence; // never moves back
        store.WriteSnapshot();
        Assert.Equal(segments[2].FirstSequence, store.Log.FirstSequence);
    }

    [Fact]
    public void Retention_deletes_only_segments_covered_by_the_kept_snapshots_and_older_than_the_horizon()
    {
        using var dir = new TempDirectory();
        var retention = TimeSpan.FromHours(12);
        var options = Options(dir) with { LogRetention = retention };
        var first = Stream.Count * 3 / 4;
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(options, engine, TimeProvider.System))
        {
            StoreScenario.Feed(engine, store, Stream.Take(first));
            store.WriteSnapshot();
            StoreScenario.Feed(engine, store, Stream.Skip(first));
            var before = store.Log.Segments;
            store.WriteSnapshot();
            var after = store.Log.Segments;

            var horizon = engine.Watermark!.Value.ToUnixTimeMilliseconds() - (long)retention.TotalMilliseconds;
            var deleted = before.Where(b => after.All(a => a.FileName != b.FileName)).ToList();
            Assert.NotEmpty(deleted);
            Assert.All(deleted, s => Assert.True(s.LastSequence <= first && s.MaxTimestampMs < horizon, s.ToString()));
            var kept = after[0];
            Assert.True(kept.IsActive || kept.LastSequence > first || kept.MaxTimestampMs >= horizon, kept.ToString());
            Assert.Equal(before.Skip(deleted.Count).Select(s => s.FileName), after.Select(s => s.FileName)); // a prefix went
        }

        // The newest snapshot and the log after it still rebuild the state exactly.
        using (var recovered = TestEngines.Inline())
        using (var reopened = EmbeddedStore.Open(options, recovered, TimeProvider.System))
        {
            Assert.Equal(Stream.Count, reopened.Recovery.SnapshotSequence);
            using var reference = StoreScenario.Reference(Stream);
            StoreScenario.AssertSameFeatures(reference, recovered, Stream);
        }

        // Without snapshots, the rebuild replays what retention kept and says so.
        foreach (var snapshot in new SnapshotFiles(Path.Combine(dir.Path, "snapshots")).List())
            Damage(snapshot.Path);
        using var rebuilt = TestEngines.Inline();
        var log = new LineLogger();
        using var fromLog = EmbeddedStore.Open(options, rebuilt, TimeProvider.System, log);
        Assert.Null(fromLog.Recovery.SnapshotSequence);
        Assert.Equal(fromLog.LastSequence - fromLog.Log.FirstSequence + 1, fromLog.Recovery.RecordsReplayed);
        Assert.Equal(0, fromLog.Recovery.RecordsNotAccepted);
        Assert.Contains(log.Messages, l => l.Contains("retention deleted the history older than 12h", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_configured_number_of_snapshots_is_kept()
    {
        using var dir = new TempDirectory();
        using var engine = TestEngines.Inline();
        using var store = EmbeddedStore.Open(Options(dir) with { KeepSnapshots = 2 }, engine, TimeProvider.System);
        for (var part = 0; part < 4; part++)
        {
            StoreScenario.Feed(engine, store, Stream.Skip(part * 100).Take(100));
            store.WriteSnapshot();
        }

        Assert.Equal([400L, 300], new SnapshotFiles(Path.Combine(dir.Path, "snapshots")).List().Select(s => s.Sequence));
    }

    private static EmbeddedStoreOptions Options(TempDirectory dir) => EmbeddedStoreTests.Options(dir);

    /// <summary>Logs the stream with the default definitions and a snapshot 100 records before its end.</summary>
    private static void WriteWithSnapshot(TempDirectory dir)
    {
        using var engine = TestEngines.Inline();
        using var store = EmbeddedStore.Open(Options(dir), engine, TimeProvider.System);
        StoreScenario.Feed(engine, store, Stream.Take(Stream.Count - 100));
        store.WriteSnapshot();
        StoreScenario.Feed(engine, store, Stream.TakeLast(100));
    }

    private static void Damage(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(path, bytes);
    }
}
