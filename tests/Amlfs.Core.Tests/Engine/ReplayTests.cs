using Amlfs.Engine;
using Amlfs.Testing;
using CsCheck;

namespace Amlfs.Core.Tests.Engine;

public sealed class ReplayTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 10, 15);

    [Fact]
    public void A_replayed_row_equals_what_the_online_engine_served_at_that_instant()
    {
        var history = Enumerable.Range(0, 300)
            .Select(i => Tx.At(Start + i * 17_000L, customer: "C" + (i % 3), merchant: "M" + (i % 2), cents: 100 + i * 37,
                ip: i % 5 == 0 ? null : "10.0.0." + (i % 7)))
            .ToList();
        var requests = history.Where((_, i) => i % 10 == 0)
            .Select(t => (Entity: "customer", Id: t.CustomerId, AsOfMs: t.TimestampMs))
            .Append((Entity: "merchant", Id: "M1", AsOfMs: Start + 300 * 17_000L))
            .ToList();
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var rows = new List<double[]>();
        using var replayed = new FeatureEngine(plan, EngineOptions.From(TestEngines.Default) with { Threaded = false, ShardCount = 1 });
        using (var replay = new Replay(replayed, history.Select(t => new ReplayEvent(t))))
        {
            foreach (var (entity, id, asOfMs) in requests)
            {
                var features = new double[plan.Entity(entity)!.Features.Count];
                replay.Read(plan.Entity(entity)!, id, asOfMs, features);
                rows.Add(features);
            }

            Assert.Equal(history.Count, replay.Accepted);
        }

        using var online = TestEngines.Inline();
        foreach (var t in history)
            online.Ingest(t);
        for (var r = 0; r < requests.Count; r++)
        {
            var entity = plan.Entity(requests[r].Entity)!;
            var expected = new double[entity.Features.Count];
            online.Read(entity, requests[r].Id, requests[r].AsOfMs, expected);
            Assert.Equal(expected, rows[r]);
        }
    }

    [Fact]
    public void A_row_never_sees_the_transaction_at_its_own_time()
    {
        var history = new[] { Tx.At(Start), Tx.At(Start + 1_000) };
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var customer = plan.Entity("customer")!;
        var features = new double[customer.Features.Count];
        using var engine = new FeatureEngine(plan, EngineOptions.From(TestEngines.Default) with { Threaded = false, ShardCount = 1 });
        using var replay = new Replay(engine, history.Select(t => new ReplayEvent(t)));

        replay.Read(customer, "CUST_1", Start + 1_000, features);

        Assert.Equal(1, features[customer.IndexOf("txn_count_60s")]);
        Assert.Equal(1, replay.Fed);
    }

    [Fact]
    public void History_out_of_event_time_order_is_refused()
    {
        var history = new[] { Tx.At(Start + 1_000), Tx.At(Start) };
        var plan = FeaturePlan.Compile(TestEngines.Default);
        using var engine = new FeatureEngine(plan, EngineOptions.From(TestEngines.Default) with { Threaded = false, ShardCount = 1 });
        using var replay = new Replay(engine, history.Select(t => new ReplayEvent(t)));

        var e = Assert.Throws<ArgumentException>(() => replay.AdvanceTo(Start + 2_000));

        Assert.Contains("event-time order", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_must_be_in_time_order_and_of_entities_of_the_engines_plan()
    {
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var features = new double[plan.Entity("customer")!.Features.Count];
        using var engine = new FeatureEngine(plan, EngineOptions.From(TestEngines.Default) with { Threaded = false, ShardCount = 1 });
        using var replay = new Replay(engine, Array.Empty<ReplayEvent>());

        replay.Read(plan.Entity("customer")!, "C", Start + 1, features);
        Assert.Throws<ArgumentException>(() => replay.Read(plan.Entity("customer")!, "C", Start, features));
        var other = FeaturePlan.Compile(TestEngines.Default).Entity("customer")!;
        var e = Assert.Throws<ArgumentException>(() => replay.Read(other, "C", Start + 2, features));
        Assert.Contains("entity 'customer' is not from the plan", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fed_without_reads_events_are_admitted_in_the_given_order_with_their_log_sequences()
    {
        // A log's order: the third event is late within the allowed lateness, the fourth repeats the first id.
        var first = Tx.At(Start + 10_000);
        var events = new[]
        {
            new ReplayEvent(first, 1), new ReplayEvent(Tx.At(Start + 20_000), 2), new ReplayEvent(Tx.At(Start + 5_000), 3),
            new ReplayEvent(first with { TimestampMs = Start + 30_000 }, 4), new ReplayEvent(Tx.At(Start + 40_000), 5),
        };
        var seen = new List<(long Sequence, IngestStatus Status)>();
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var customer = plan.Entity("customer")!;
        using var engine = new FeatureEngine(plan, EngineOptions.From(TestEngines.Default) with { ShardCount = 2 });
        using (var replay = new Replay(engine, events, (transactions, sequences, statuses) =>
               {
                   Assert.Equal(transactions.Length, sequences.Length);
                   for (var i = 0; i < statuses.Length; i++)
                       seen.Add((sequences[i], statuses[i]));
               }, batchSize: 2))
        {
            replay.FeedRemaining();

            Assert.Equal((5L, 4L), (replay.Fed, replay.Accepted));
            Assert.Throws<InvalidOperationException>(() => replay.AdvanceTo(Start + 50_000));
        }

        engine.Flush();
        Assert.Equal(
            new (long, IngestStatus)[] { (1, IngestStatus.Accepted), (2, IngestStatus.Accepted), (3, IngestStatus.Accepted), (4, IngestStatus.Duplicate), (5, IngestStatus.Accepted) },
            seen);
        var features = new double[customer.Features.Count];
        Assert.True(engine.Read(customer, "CUST_1", Start + 50_000, features, out var sequence));
        Assert.Equal((4.0, 5L, 5L), (features[customer.IndexOf("txn_count_60s")], sequence, engine.LogSequence));
    }

    [Fact]
    public void Every_read_equals_the_brute_force_reference_whatever_the_batch_size()
    {
        Gen.Select(EngineScenarios.GenScenario, Gen.Int[1, 9], Gen.Int[1, 40].Array[1, 30]).Sample(sample =>
        {
            var ((definition, steps, start, shards, _), batchSize, gaps) = sample;
            var history = EngineScenarios.BuildStream(steps, start).Select(s => s.Transaction).OrderBy(t => t.TimestampMs).ToList();
            var reference = new ReferenceModel(definition, clockMs: null);
            foreach (var t in history)
                reference.Ingest(t);
            var plan = FeaturePlan.Compile(definition);
            using var engine = new FeatureEngine(plan, EngineOptions.From(definition) with { Threaded = false, ShardCount = shards });
            using var replay = new Replay(engine, history.Select(t => new ReplayEvent(t)), batchSize: batchSize);

            // Reads at event times (ties included), just after them, and between, moving forward through the history.
            var q = start - 1;
            var next = 0;
            foreach (var gap in gaps)
            {
                next = Math.Min(history.Count - 1, next + gap / 4);
                q = Math.Max(q, history[next].TimestampMs + (gap % 3 == 0 ? 0 : gap % 3 == 1 ? 1 : gap * 7_000L));
                foreach (var entity in plan.Entities)
                {
                    var ids = EngineScenarios.IdsOf(entity);
                    foreach (var id in ids)
                    {
                        var actual = new double[entity.Features.Count];
                        replay.Read(entity, id, q, actual);
                        var expected = reference.Features(entity.Name, id, q);
                        for (var f = 0; f < expected.Length; f++)
                        {
                            if (BitConverter.DoubleToInt64Bits(expected[f]) != BitConverter.DoubleToInt64Bits(actual[f]))
                                Assert.Fail($"{entity.Name} {id} as of {q}: {entity.Features[f].Name}: reference {expected[f]:R}, replay {actual[f]:R} (batch {batchSize})");
                        }
                    }
                }
            }
        }, iter: EngineScenarios.Iterations(100));
    }
}
