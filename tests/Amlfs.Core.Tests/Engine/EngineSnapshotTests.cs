using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;
using Amlfs.Transactions;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// Snapshots: an engine restored from a snapshot of a stream's prefix, then fed the suffix, decides and reads exactly
/// like an engine that took the whole stream; snapshots for another layout are refused; damaged ones are detected.
/// </summary>
public sealed class EngineSnapshotTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 14, 12);

    [Fact]
    public void An_engine_restored_from_a_snapshot_continues_exactly_like_the_engine_that_never_stopped()
    {
        Gen.Select(EngineScenarios.GenScenario, Gen.Double[0, 1])
            .Sample(s => CheckSplit(s.Item1.Definition, s.Item1.Steps, s.Item1.Start, s.Item1.Shards, s.Item1.ClockAt, s.Item2,
                threaded: false), iter: EngineScenarios.Iterations(150));
    }

    [Fact]
    public void A_threaded_engine_restored_from_a_snapshot_continues_exactly_like_the_engine_that_never_stopped()
    {
        Gen.Select(EngineScenarios.GenScenario, Gen.Double[0, 1])
            .Sample(s => CheckSplit(s.Item1.Definition, s.Item1.Steps, s.Item1.Start, s.Item1.Shards, s.Item1.ClockAt, s.Item2,
                threaded: true), iter: EngineScenarios.Iterations(25));
    }

    /// <summary>
    /// The shard watermark decides which idle entities the sweep removes. Events just behind it (within the lateness)
    /// after a restore must sweep as they would have without the restart: an entity idle 30 s past the idle span
    /// measured from the shard watermark goes, though it is not yet idle measured from those events.
    /// </summary>
    [Fact]
    public void The_shard_watermark_survives_a_snapshot_so_idle_entities_are_swept_as_before()
    {
        var definition = TestEngines.Default;
        var plan = FeaturePlan.Compile(definition);
        var customer = plan.Entity("customer")!;
        var options = EngineOptions.From(definition) with { Threaded = false, ShardCount = 1 };
        var idleSpan = Math.Max(customer.LongestRawSpanMs, customer.LongestTiledWindowMs) + options.AllowedLatenessMs;
        var watermark = Start + 10 * 86_400_000L;
        // Two sweep slots per event: the idle entity's slot must not be among the two the second event visits.
        var idle = Enumerable.Range(0, 100).Select(i => "IDLE_" + i).First(id => (Fingerprint.Of(id) & 15) is not (2 or 3));
        using var whole = new FeatureEngine(plan, options);
        using var prefix = new FeatureEngine(plan, options);
        using var restored = new FeatureEngine(plan, options);
        Transaction[] before =
        [
            Tx.At(watermark - options.QueryHistoryMs - idleSpan - 30_000, customer: idle),
            Tx.At(watermark, customer: "BUSY"),
        ];
        foreach (var t in before)
        {
            whole.Ingest(t);
            prefix.Ingest(t);
        }

        Assert.Equal(2, prefix.EntityCount(customer));
        Assert.True(restored.TryRestoreSnapshot(new MemoryStream(Snapshot(prefix))));
        for (var i = 0; i < 8; i++)
        {
            var behind = Tx.At(watermark - 60_000 + i, customer: "BUSY");
            Assert.Equal(IngestStatus.Accepted, whole.Ingest(behind));
            Assert.Equal(IngestStatus.Accepted, restored.Ingest(behind));
        }

        Assert.Equal(1, whole.EntityCount(customer));
        Assert.Equal(1, restored.EntityCount(customer));
    }

    [Fact]
    public void A_snapshot_of_an_empty_engine_restores_an_empty_engine()
    {
        using var empty = TestEngines.Inline();
        var snapshot = Snapshot(empty);
        using var restored = TestEngines.Inline();

        Assert.True(restored.TryRestoreSnapshot(new MemoryStream(snapshot)));

        AssertEmpty(restored);
        Assert.Equal(IngestStatus.Accepted, restored.Ingest(Tx.At(Start)));
        Assert.Equal(1, restored.Features("customer", "CUST_1", Start + 1)["txn_count_1h"]);
    }

    [Fact]
    public void A_snapshot_for_other_tile_families_is_refused_and_the_engine_stays_empty_and_usable()
    {
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        var changed = DefinitionsLoader.Parse(DefinitionTexts.DefaultWith("hop: 5m", "hop: 10m"), "changed.yaml");
        using var engine = TestEngines.Inline(changed);

        Assert.False(engine.TryRestoreSnapshot(new MemoryStream(snapshot)));

        AssertEmpty(engine);
        Assert.Equal(IngestStatus.Accepted, engine.Ingest(Tx.At(Start)));
        Assert.Equal(1, engine.Features("customer", "CUST_1", Start + 1)["txn_count_1h"]);
    }

    [Fact]
    public void A_snapshot_for_another_distinct_field_is_refused()
    {
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        var changed = DefinitionsLoader.Parse(DefinitionTexts.DefaultWith("field: ip_address", "field: device_id"), "changed.yaml");
        using var engine = TestEngines.Inline(changed);

        Assert.False(engine.TryRestoreSnapshot(new MemoryStream(snapshot)));

        AssertEmpty(engine);
    }

    [Fact]
    public void A_snapshot_for_another_shard_count_is_refused()
    {
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        using var engine = TestEngines.Inline(configure: o => o with { ShardCount = 3 });

        Assert.False(engine.TryRestoreSnapshot(new MemoryStream(snapshot)));

        AssertEmpty(engine);
    }

    [Fact]
    public void A_snapshot_for_another_query_history_is_refused()
    {
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        using var engine = TestEngines.Inline(configure: o => o with { QueryHistoryMs = 3_600_000 });

        Assert.False(engine.TryRestoreSnapshot(new MemoryStream(snapshot)));
    }

    [Fact]
    public void A_feature_that_only_reads_the_stored_events_differently_keeps_snapshots_usable()
    {
        var changed = DefinitionsLoader.Parse(DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature), "peak.yaml");
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        using var restored = TestEngines.Inline(changed);
        using var fresh = Loaded(TestEngines.Inline(changed));

        Assert.True(restored.TryRestoreSnapshot(new MemoryStream(snapshot)));

        var q = Start + 90 * 60_000;
        Assert.Equal(fresh.Features("customer", "CUST_1", q), restored.Features("customer", "CUST_1", q));
        Assert.True(restored.Features("customer", "CUST_1", q)["peak_hours_txn_count_1h"] > 0);
    }

    [Fact]
    public void A_truncated_snapshot_throws_InvalidDataException_and_leaves_the_engine_empty()
    {
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        using var engine = TestEngines.Inline();

        for (var length = 0; length < snapshot.Length; length++)
        {
            var cut = snapshot.AsSpan(0, length).ToArray();
            Assert.Throws<InvalidDataException>(() => engine.TryRestoreSnapshot(new MemoryStream(cut)));
        }

        AssertEmpty(engine);
        Assert.True(engine.TryRestoreSnapshot(new MemoryStream(snapshot)));
        Assert.Equal(source.Accepted, engine.Accepted);
        Assert.Equal(IngestStatus.Duplicate, engine.Ingest(Tx.At(Start + 89 * 60_000, id: "L89")));
    }

    [Fact]
    public void A_flipped_bit_anywhere_throws_InvalidDataException_and_leaves_the_engine_empty()
    {
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        using var engine = TestEngines.Inline();

        for (var bit = 0; bit < snapshot.Length * 8; bit += 3)
        {
            var damaged = snapshot.ToArray();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<InvalidDataException>(() => engine.TryRestoreSnapshot(new MemoryStream(damaged)));
        }

        AssertEmpty(engine);
        Assert.Equal(IngestStatus.Accepted, engine.Ingest(Tx.At(Start + 89 * 60_000, id: "L89"))); // no id left behind
    }

    [Fact]
    public void A_snapshot_damaged_after_its_first_frame_leaves_no_transaction_id_behind()
    {
        using var source = TestEngines.Inline();
        for (var i = 0; i < 60_000; i++)
            source.Ingest(Tx.At(Start + i, customer: "CUST_" + (i % 7), id: "BULK" + i));
        var snapshot = Snapshot(source);
        Assert.True(snapshot.Length > 1 << 20, "the ids should fill more than one frame");
        snapshot[^20] ^= 4;
        using var engine = TestEngines.Inline();

        Assert.Throws<InvalidDataException>(() => engine.TryRestoreSnapshot(new MemoryStream(snapshot)));
        Assert.Throws<InvalidDataException>(() => engine.TryRestoreSnapshot(new MemoryStream(snapshot, 0, (1 << 20) + 100)));

        AssertEmpty(engine);
        Assert.Equal(IngestStatus.Accepted, engine.Ingest(Tx.At(Start, id: "BULK0")));
    }

    [Fact]
    public void Restoring_into_an_engine_that_has_ingested_throws()
    {
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Start));

        Assert.Throws<InvalidOperationException>(() => engine.TryRestoreSnapshot(new MemoryStream(snapshot)));
    }

    [Fact]
    public void Restoring_a_second_snapshot_throws()
    {
        using var source = Loaded(TestEngines.Inline());
        var snapshot = Snapshot(source);
        using var engine = TestEngines.Inline();
        Assert.True(engine.TryRestoreSnapshot(new MemoryStream(snapshot)));

        Assert.Throws<InvalidOperationException>(() => engine.TryRestoreSnapshot(new MemoryStream(snapshot)));
    }

    [Fact]
    public void Writing_a_snapshot_while_an_ingest_is_in_progress_throws()
    {
        var sink = new SnapshotDuringIngest();
        var definition = TestEngines.Default;
        using var engine = new FeatureEngine(FeaturePlan.Compile(definition),
            EngineOptions.From(definition) with { Threaded = false, ShardCount = 2 }, rejections: sink);
        sink.Engine = engine;
        engine.Ingest(Tx.At(Start));

        engine.Ingest(Tx.At(Start - 3_600_000)); // late: the sink is called inside the ingest

        Assert.IsType<InvalidOperationException>(sink.Failure);
    }

    [Fact]
    public void Entity_ids_that_are_not_valid_utf16_come_back_unchanged()
    {
        const string LoneSurrogate = "C\uD800X";
        using var source = TestEngines.Inline();
        source.Ingest(Tx.At(Start, customer: LoneSurrogate, merchant: "M\u00E9rchant \u4E2D"));
        using var restored = TestEngines.Inline();

        Assert.True(restored.TryRestoreSnapshot(new MemoryStream(Snapshot(source))));

        Assert.Equal(1, restored.Features("customer", LoneSurrogate, Start + 1)["txn_count_1h"]);
        Assert.Equal(1, restored.Features("merchant", "M\u00E9rchant \u4E2D", Start + 1)["merchant_txn_count_1h"]);
    }

    [Fact]
    public async Task Reads_may_run_while_a_threaded_engine_writes_a_snapshot()
    {
        var definition = TestEngines.Default;
        var plan = FeaturePlan.Compile(definition);
        var options = EngineOptions.From(definition) with { Threaded = true, ShardCount = 2 };
        using var source = Loaded(new FeatureEngine(plan, options));
        source.Flush();
        var customer = plan.Entity("customer")!;
        var q = Start + 90 * 60_000;
        var expected = source.Features("customer", "CUST_1", q)["txn_count_1h"];
        var done = 0;
        var reader = Task.Run(() =>
        {
            var values = new double[customer.Features.Count];
            var reads = 0;
            while (Volatile.Read(ref done) == 0 || reads < 100)
            {
                source.Read(customer, "CUST_1", q, values);
                Assert.Equal(expected, values[customer.IndexOf("txn_count_1h")]);
                reads++;
            }
        });

        var snapshot = Snapshot(source);
        Volatile.Write(ref done, 1);
        await reader;
        using var restored = new FeatureEngine(plan, options);
        Assert.True(restored.TryRestoreSnapshot(new MemoryStream(snapshot)));
        Assert.Equal(expected, restored.Features("customer", "CUST_1", q)["txn_count_1h"]);
    }

    private static void CheckSplit(RegistryDefinition definition, EngineScenarioStep[] steps, long start, int shards,
        double clockAt, double splitAt, bool threaded)
    {
        var stream = EngineScenarios.BuildStream(steps, start);
        var span = stream.Max(t => t.Transaction.TimestampMs) - start;
        var clockMs = start + (long)(span * clockAt);
        var plan = FeaturePlan.Compile(definition);
        var options = EngineOptions.From(definition) with
        {
            Threaded = threaded,
            ShardCount = shards,
            QueueCapacity = 16,
            ExpectedTransactions = 64,
        };
        FeatureEngine Create() => new(plan, options, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(clockMs)));
        using var whole = Create();
        using var prefix = Create();
        using var restored = Create();
        var split = (int)(splitAt * stream.Count);
        var accepted = new List<Transaction>();

        Feed(stream, 0, split, threaded, [whole, prefix], accepted, definition, plan);
        var snapshot = Snapshot(prefix);
        Assert.True(restored.TryRestoreSnapshot(new MemoryStream(snapshot)), "the snapshot was refused by an engine of the same plan");
        CompareAt(whole, restored, plan, EngineScenarios.QueryTimes(accepted, definition, null), accepted);

        Feed(stream, split, stream.Count, threaded, [whole, restored], accepted, definition, plan);
        CompareAt(whole, restored, plan, EngineScenarios.QueryTimes(accepted, definition, null), accepted);
    }

    /// <summary>
    /// Feeds <c>stream[from..to)</c> to every engine (threaded ones in batches of up to 7, cut at every query), checks
    /// that all decide alike, and compares the engines' reads at every query step.
    /// </summary>
    private static void Feed(List<(Transaction Transaction, bool Query)> stream, int from, int to, bool threaded,
        FeatureEngine[] engines, List<Transaction> accepted, RegistryDefinition definition, FeaturePlan plan)
    {
        var batch = new List<Transaction>();
        var statuses = engines.Select(_ => new IngestStatus[8]).ToArray();
        for (var position = from; position < to; position++)
        {
            var (transaction, query) = stream[position];
            batch.Add(transaction);
            if (threaded && !query && batch.Count < 7 && position < to - 1)
                continue;
            for (var e = 0; e < engines.Length; e++)
                engines[e].IngestBatch(batch.ToArray(), statuses[e]);
            for (var i = 0; i < batch.Count; i++)
            {
                for (var e = 1; e < engines.Length; e++)
                {
                    Assert.True(statuses[0][i] == statuses[e][i],
                        $"event {position - batch.Count + 1 + i} ({batch[i]}): uninterrupted {statuses[0][i]}, other {statuses[e][i]}");
                }

                if (statuses[0][i] == IngestStatus.Accepted)
                    accepted.Add(batch[i]);
            }

            batch.Clear();
            if (query)
                CompareAt(engines[0], engines[^1], plan, EngineScenarios.QueryTimes(accepted, definition, transaction.TimestampMs), accepted);
        }
    }

    private static void CompareAt(FeatureEngine expected, FeatureEngine actual, FeaturePlan plan, List<long> times, IReadOnlyList<Transaction> accepted)
    {
        var probes = EngineScenarios.Probes(accepted);
        expected.Flush();
        actual.Flush();
        Assert.Equal(expected.Watermark, actual.Watermark);
        Assert.Equal(
            (expected.Accepted, expected.Duplicates, expected.Late, expected.FutureTimestamps),
            (actual.Accepted, actual.Duplicates, actual.Late, actual.FutureTimestamps));
        foreach (var entity in plan.Entities)
        {
            Assert.Equal(expected.EntityCount(entity), actual.EntityCount(entity));
            var ids = EngineScenarios.IdsOf(entity);
            var want = new double[entity.Features.Count];
            var got = new double[entity.Features.Count];
            foreach (var id in ids)
            {
                foreach (var q in times)
                {
                    var knownWant = expected.Read(entity, id, q, want);
                    var knownGot = actual.Read(entity, id, q, got);
                    Assert.True(knownWant == knownGot, $"{entity.Name} {id} at q={q}: known {knownWant} vs {knownGot}");
                    for (var i = 0; i < want.Length; i++)
                    {
                        Assert.True(BitConverter.DoubleToInt64Bits(want[i]) == BitConverter.DoubleToInt64Bits(got[i]),
                            $"{entity.Name} {id} at q={q}: feature {entity.Features[i].Name}: uninterrupted {want[i]:R}, restored {got[i]:R}");
                    }

                    // What the seen values remember survives the snapshot too.
                    foreach (var probe in entity.RequestFeatures.Count == 0 ? [] : probes)
                    {
                        var scope = new Amlfs.Registry.Expressions.ExpressionScope(q, (double)probe.Amount, FeatureEngine.RequestFieldsOf(probe));
                        var wantValues = new double[entity.ValueCount];
                        var gotValues = new double[entity.ValueCount];
                        expected.Evaluate(entity, id, q, wantValues, scope);
                        actual.Evaluate(entity, id, q, gotValues, scope);
                        EngineScenarios.AssertRequestBitEqual(entity, id, q, probe, entity.RequestValues(wantValues), entity.RequestValues(gotValues),
                            "uninterrupted", "restored");
                    }
                }
            }
        }
    }

    private static byte[] Snapshot(FeatureEngine engine)
    {
        var stream = new MemoryStream();
        engine.WriteSnapshot(stream);
        return stream.ToArray();
    }

    /// <summary>An hour and a half of Saturday traffic (weekend tiles): three customers at two merchants, some without IP.</summary>
    private static FeatureEngine Loaded(FeatureEngine engine)
    {
        for (var i = 0; i < 90; i++)
        {
            engine.Ingest(Tx.At(Start + i * 60_000, customer: "CUST_" + (i % 3), merchant: "MERCH_" + (i % 2),
                cents: 100 + i * 37, ip: i % 4 == 0 ? null : "10.0.0." + (i % 2), id: "L" + i));
        }

        engine.Ingest(Tx.At(Tx.Utc(2026, 3, 14, 3), customer: "CUST_1")); // late: counted as such
        return engine;
    }

    private static void AssertEmpty(FeatureEngine engine)
    {
        Assert.Equal(0, engine.Accepted + engine.Duplicates + engine.Late + engine.FutureTimestamps);
        Assert.Null(engine.Watermark);
        Assert.All(engine.Plan.Entities, e => Assert.Equal(0, engine.EntityCount(e)));
    }

    /// <summary>Tries to write a snapshot from inside an ingest, where the engine calls its rejection sink.</summary>
    private sealed class SnapshotDuringIngest : IRejectionSink
    {
        public FeatureEngine? Engine { get; set; }

        public Exception? Failure { get; private set; }

        public void Rejected(Transaction transaction, IngestStatus reason, string detail)
        {
            try
            {
                Engine!.WriteSnapshot(new MemoryStream());
            }
            catch (InvalidOperationException e)
            {
                Failure = e;
            }
        }
    }
}
