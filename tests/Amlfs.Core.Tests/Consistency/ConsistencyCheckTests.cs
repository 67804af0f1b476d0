using Amlfs.Consistency;
using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Consistency;

public sealed class ConsistencyCheckTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 14, 12);

    [Fact]
    public void A_vector_served_before_a_late_arrival_is_recomputed_without_it()
    {
        using var live = new LiveEngine();
        live.Ingest(Tx.At(Start, customer: "A"));
        live.Ingest(Tx.At(Start + 60_000, customer: "A"));
        var before = live.Serve("A", Start + 120_000);
        // Behind the watermark by 30 s, within the lateness: accepted, and earlier than the vector's q.
        live.Ingest(Tx.At(Start + 30_000, customer: "A"));
        var after = live.Serve("A", Start + 120_000);

        Assert.NotEqual(before.Values, after.Values);
        var report = ConsistencyCheck.Run(live.Engine.Plan, live.Options, live.History, [before, after]);

        Assert.Equal((2L, 2L, 0L, 0L, 1L), (report.Vectors, report.Recomputed, report.Mismatches, report.MissingVectors, report.ServedBeforeLateArrivals));
        Assert.Equal((0L, 1L), (report.Extra, report.ChangedByLateArrivals));
        var requestFeatures = live.Engine.Plan.Entity("customer")!.RequestFeatures.Select(f => f.Name).ToHashSet();
        Assert.All(report.Features.Where(f => f.Entity == "customer" && !requestFeatures.Contains(f.Feature)),
            f => Assert.Equal(2, f.Compared));
    }

    [Fact]
    public void A_corrupted_served_value_is_a_mismatch_of_that_feature()
    {
        using var live = new LiveEngine();
        live.Ingest(Tx.At(Start, customer: "A", cents: 250_00));
        var served = live.Serve("A", Start + 1_000);
        var index = served.Names.ToList().IndexOf("txn_amount_sum_60s");
        served.Values[index] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(served.Values[index]!.Value) + 1);

        var report = ConsistencyCheck.Run(live.Engine.Plan, live.Options, live.History, [served]);

        Assert.Equal((1L, 1L), (report.Mismatches, report.MismatchedVectors));
        Assert.Equal(1, report.Features.Single(f => f.Feature == "txn_amount_sum_60s").Mismatches);
        var example = Assert.Single(report.Examples);
        Assert.Equal(250.0, example.Recomputed);
    }

    [Fact]
    public void Request_features_are_recomputed_from_the_logged_amount()
    {
        using var live = new LiveEngine();
        live.Ingest(Tx.At(Start, customer: "A"));
        var served = live.Serve("A", Start + 1_000, requestAmount: 99.99);
        Assert.Contains(served.Values, v => v is 199.99);

        var report = ConsistencyCheck.Run(live.Engine.Plan, live.Options, live.History, [served]);

        Assert.Equal(0, report.Mismatches);
        Assert.Equal(1, report.Features.Single(f => f.Feature == "txn_amount_sum_60s_with_current").Compared);
    }

    [Fact]
    public void A_vector_whose_history_is_not_in_the_store_is_missing_not_a_mismatch()
    {
        using var live = new LiveEngine();
        live.Ingest(Tx.At(Start, customer: "A"));
        live.Ingest(Tx.At(Start + 1, customer: "A"));
        var served = live.Serve("A", Start + 1_000);

        var report = ConsistencyCheck.Run(live.Engine.Plan, live.Options, live.History.Take(1), [served]);

        Assert.Equal((1L, 0L, 0L), (report.MissingVectors, report.Recomputed, report.Mismatches));
        Assert.Equal(1, report.Features.Single(f => f.Feature == "txn_count_1h").Missing);
    }

    [Fact]
    public void Records_that_the_offline_store_and_the_log_both_hold_count_once()
    {
        using var live = new LiveEngine();
        live.Ingest(Tx.At(Start, customer: "A"));
        var served = live.Serve("A", Start + 1_000);

        var report = ConsistencyCheck.Run(live.Engine.Plan, live.Options, live.History.Concat(live.History), [served]);

        Assert.Equal((1L, 0L), (report.HistoryEvents, report.Mismatches));
    }

    [Fact]
    public void A_graph_vector_is_recomputed_from_each_account_at_the_sequence_its_search_read()
    {
        using var live = new LiveEngine();
        live.Ingest(Tx.Transfer(Start, "A", "B"));
        live.Ingest(Tx.Transfer(Start + 1_000, "B", "C")); // B pays on: A scattered to B, who gathered at C
        var served = live.Serve("A", Start + 2_000);
        var scatter = served.Names.ToList().IndexOf("scatter_gather_24h");
        Assert.Equal(1.0, served.Values[scatter]);
        // A's own sequence is that of its transfer to B; B was read at the sequence of its transfer to C.
        Assert.Equal(1, served.LogSequence);
        Assert.Contains(new NeighbourRead(NeighbourStates.FingerprintOf("B"), 2), served.Neighbours!);

        var exact = ConsistencyCheck.Run(live.Engine.Plan, live.Options, live.History, [served]);
        // Had the server read B before its transfer to C, the same values would be a mismatch of the scatter-gather.
        var earlier = served with { Neighbours = [.. served.Neighbours!.Select(r => r.Fingerprint == NeighbourStates.FingerprintOf("B") ? r with { LogSequence = 1 } : r)] };
        var wrong = ConsistencyCheck.Run(live.Engine.Plan, live.Options, live.History, [earlier]);

        Assert.Equal((1L, 0L), (exact.Recomputed, exact.Mismatches));
        Assert.Equal(1, exact.Features.Single(f => f.Feature == "scatter_gather_24h").Compared);
        Assert.Equal(1, wrong.Features.Single(f => f.Feature == "scatter_gather_24h").Mismatches);
    }

    /// <summary>A live engine that logs its accepted history with sequences and serves vectors as the API does.</summary>
    private sealed class LiveEngine : IDisposable
    {
        private readonly List<WalRecord> _history = [];

        public LiveEngine()
        {
            Engine = TestEngines.Inline();
            Options = EngineOptions.From(TestEngines.Default);
        }

        public FeatureEngine Engine { get; }

        public EngineOptions Options { get; }

        public IReadOnlyList<WalRecord> History => _history;

        public void Ingest(Transaction transaction)
        {
            Assert.Equal(IngestStatus.Accepted, Engine.Ingest(transaction));
            _history.Add(new WalRecord(Engine.LogSequence, transaction));
        }

        public LoggedVector Serve(string customer, long q, double? requestAmount = null)
        {
            var entity = Engine.Plan.Entity("customer")!;
            var values = new double[entity.ValueCount];
            var neighbours = new List<NeighbourRead>();
            Engine.Evaluate(entity, customer, q, values, new(q, requestAmount), out var sequence, neighbours);
            var stored = new double[entity.Features.Count];
            FeatureEngine.CopyFeatures(entity, values, stored);
            var names = entity.Features.Select(f => f.Name).ToList();
            var served = stored.Select(v => (double?)v).ToList();
            if (requestAmount is not null)
            {
                names.AddRange(entity.RequestFeatures.Select(f => f.Name));
                foreach (var v in entity.RequestValues(values))
                    served.Add(v);
            }

            return new LoggedVector("customer", customer, q, sequence, q, requestAmount is null ? FeatureLogKind.Features : FeatureLogKind.Predict,
                requestAmount, names, served.ToArray())
            { Neighbours = neighbours };
        }

        public void Dispose() => Engine.Dispose();
    }
}
