using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;
using Amlfs.Transactions;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// Random graph definitions with small bounds and random transfer streams (<see cref="GraphScenarios"/>) through the
/// engine, inline and threaded, and through the partitioned offline replay: every feature of every account at many
/// query times equals the brute-force <see cref="ReferenceModel"/> to the bit, including evaluations that stop at a
/// bound, which the runs must reach.
/// </summary>
public sealed class GraphSearchMatchesReferenceTests
{
    [Fact]
    public void The_engine_equals_the_brute_force_reference_for_random_graphs_and_bounds()
    {
        var hits = 0;
        GraphScenarios.GenScenario.Sample(s => hits += CheckEngine(s.Definition, s.Stream, s.Shards, threaded: false),
            iter: EngineScenarios.Iterations(100));
        Assert.True(hits > 0, "no evaluation hit a bound: the bounded searches went untested");
    }

    [Fact]
    public void A_threaded_engine_equals_the_reference_once_flushed()
    {
        GraphScenarios.GenScenario.Sample(s => CheckEngine(s.Definition, s.Stream, s.Shards, threaded: true),
            iter: EngineScenarios.Iterations(20));
    }

    [Fact]
    public void The_partitioned_replay_equals_the_reference_for_any_arrivals()
    {
        var hits = 0;
        Gen.Select(GraphScenarios.GenScenario, Gen.Int[1, 3]).Sample(sample =>
        {
            var ((definition, stream, _), parallelism) = sample;
            var arrivals = stream.Select(s => s.Transaction).ToList();
            var reference = new ReferenceModel(definition, clockMs: null);
            foreach (var t in arrivals)
                reference.Ingest(t);
            var plan = FeaturePlan.Compile(definition);
            var customer = plan.Entity("customer")!;
            Assert.True(customer.ReadsNeighbours || !definition.StoredFeatures.Any(f => AggregationNames.ReadsNeighbours(f.Aggregation)));
            var times = GraphScenarios.QueryTimes(reference.Accepted, definition).Take(40).ToArray();
            var rows = times.SelectMany(q => GraphScenarios.Accounts.Select(id => (Id: id, AsOfMs: q))).ToArray();
            var query = new ReplayQuery(customer, [.. rows.Select(r => r.Id)], [.. rows.Select(r => r.AsOfMs)]);

            var result = PartitionedReplay.Run(plan, EngineOptions.From(definition), ReplayHistory.FromArrivals(arrivals), [query], parallelism);

            for (var r = 0; r < rows.Length; r++)
            {
                var expected = reference.Features("customer", rows[r].Id, rows[r].AsOfMs);
                EngineScenarios.AssertBitEqual(customer, rows[r].Id, rows[r].AsOfMs, definition, expected,
                    result.Values[0].AsSpan(r * query.Width, query.Width), "reference", "partitioned replay");
            }

            hits += reference.GraphBoundHits;
        }, iter: EngineScenarios.Iterations(60));
        Assert.True(hits > 0, "no row hit a bound: the bounded searches went untested offline");
    }

    /// <summary>Feeds the stream (threaded: in batches cut at every query) and compares at the queries and at the end; returns the reference's bound hits.</summary>
    private static int CheckEngine(RegistryDefinition definition, List<(Transaction Transaction, bool Query)> stream, int shards, bool threaded)
    {
        var plan = FeaturePlan.Compile(definition);
        var options = EngineOptions.From(definition) with { Threaded = threaded, ShardCount = shards, QueueCapacity = 16 };
        var clockMs = stream.Max(s => s.Transaction.TimestampMs) + 1;
        using var engine = new FeatureEngine(plan, options, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(clockMs)));
        var reference = new ReferenceModel(definition, clockMs);
        EngineScenarios.Feed(engine, reference, stream, threaded, transaction => Compare(engine, reference, definition, plan,
            GraphScenarios.QueryTimes(reference.Accepted, definition).Where(q => Math.Abs(q - transaction.TimestampMs) < 7_200_000).Take(30)));
        Compare(engine, reference, definition, plan, GraphScenarios.QueryTimes(reference.Accepted, definition).Take(80));
        return reference.GraphBoundHits;
    }

    private static void Compare(FeatureEngine engine, ReferenceModel reference, RegistryDefinition definition, FeaturePlan plan, IEnumerable<long> times)
    {
        engine.Flush();
        var customer = plan.Entity("customer")!;
        var actual = new double[customer.Features.Count];
        foreach (var q in times)
        {
            foreach (var id in GraphScenarios.Accounts)
            {
                engine.Read(customer, id, q, actual);
                EngineScenarios.AssertBitEqual(customer, id, q, definition, reference.Features("customer", id, q), actual, "reference", "engine");
            }
        }
    }
}
