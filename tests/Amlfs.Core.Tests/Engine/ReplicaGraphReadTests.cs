using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Transactions;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// What a replica does for graph features: the two partial states of each account (an outflow engine's and an inflow
/// engine's, as Kafka workers keep them) fetched as bytes by the fingerprint of the id, level by level as the searches
/// ask for them. The values of the last round equal one engine's to the bit, within a round per level of the deepest search.
/// </summary>
public sealed class ReplicaGraphReadTests
{
    [Fact]
    public void Neighbours_fetched_level_by_level_give_the_features_of_one_engine()
    {
        var deepest = 0;
        GraphScenarios.GenScenario.Sample(s =>
        {
            var plan = FeaturePlan.Compile(s.Definition);
            var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(s.Stream.Max(e => e.Transaction.TimestampMs) + 1));
            var options = EngineOptions.From(s.Definition) with { Threaded = false, ShardCount = s.Shards };
            using var whole = new FeatureEngine(plan, options, clock);
            using var outflows = new FeatureEngine(plan, options with { Entities = new HashSet<string>(["customer"]), KeptDirection = EdgeDirection.Outflow }, clock);
            using var inflows = new FeatureEngine(plan, options with { Entities = new HashSet<string>(["customer"]), KeptDirection = EdgeDirection.Inflow }, clock);
            var accepted = new List<Transaction>();
            foreach (var (transaction, _) in s.Stream)
            {
                var status = whole.Ingest(transaction);
                Assert.Equal(status, outflows.Ingest(transaction));
                Assert.Equal(status, inflows.Ingest(transaction));
                if (status == IngestStatus.Accepted)
                    accepted.Add(transaction);
            }

            var customer = plan.Entity("customer")!;
            var byFingerprint = GraphScenarios.Accounts.ToDictionary(NeighbourStates.FingerprintOf);
            foreach (var q in GraphScenarios.QueryTimes(accepted, s.Definition).Take(40))
            {
                foreach (var id in GraphScenarios.Accounts)
                {
                    var expected = new double[customer.ValueCount];
                    whole.Evaluate(customer, id, q, expected, new ExpressionScope(q, null));
                    var actual = new double[customer.ValueCount];
                    var neighbours = new NeighbourStates(whole.StateFormat, customer);
                    var rounds = 0;
                    while (true)
                    {
                        whole.StateFormat.Evaluate(customer, outflows.ExportEntityState(customer, id), inflows.ExportEntityState(customer, id), q,
                            actual, new ExpressionScope(q, null), neighbours);
                        if (neighbours.Missing.Count == 0)
                            break;
                        Assert.True(++rounds <= GraphSearchRules.MaxHops, "the searches kept missing accounts");
                        foreach (var hash in neighbours.TakeMissing())
                        {
                            var account = byFingerprint.GetValueOrDefault(hash);
                            neighbours.Add(hash, account is null ? null : outflows.ExportEntityState(customer, account),
                                account is null ? null : inflows.ExportEntityState(customer, account));
                        }
                    }

                    deepest = Math.Max(deepest, rounds);
                    var (expectedFeatures, actualFeatures) = (new double[customer.Features.Count], new double[customer.Features.Count]);
                    FeatureEngine.CopyFeatures(customer, expected, expectedFeatures);
                    FeatureEngine.CopyFeatures(customer, actual, actualFeatures);
                    EngineScenarios.AssertBitEqual(customer, id, q, s.Definition, expectedFeatures, actualFeatures, "one engine", "replica");
                }
            }
        }, iter: EngineScenarios.Iterations(40));
        Assert.True(deepest >= 2, "no search needed a second level of neighbours");
    }

    [Fact]
    public void Without_neighbours_a_search_that_reads_them_is_refused()
    {
        var definition = Amlfs.Testing.TestEngines.Default;
        var plan = FeaturePlan.Compile(definition);
        using var engine = new FeatureEngine(plan, EngineOptions.From(definition) with { Threaded = false });
        engine.Ingest(Amlfs.Testing.Tx.Transfer(Amlfs.Testing.Tx.Utc(2026, 3, 10), "A", "B"));
        var customer = plan.Entity("customer")!;
        var values = new double[customer.ValueCount];
        var error = Assert.Throws<InvalidOperationException>(() => engine.StateFormat.Evaluate(customer, engine.ExportEntityState(customer, "A"), null,
            Amlfs.Testing.Tx.Utc(2026, 3, 11), values, new ExpressionScope(0, null)));
        Assert.Contains("read other accounts' states", error.Message, StringComparison.Ordinal);
    }
}
