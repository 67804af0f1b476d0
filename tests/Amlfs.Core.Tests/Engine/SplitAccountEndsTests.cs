using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Transactions;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// Random definitions whose account has inflows and random streams through three engines: one that keeps everything,
/// one that keeps the accounts' outflows and one that keeps their inflows and the merchants, as the two topics of
/// Kafka workers keep them. The two partial states of every account, exported as bytes and evaluated merged, must give
/// the whole engine's features to the bit at many query times, window edges included; the merchants of the inflow
/// engine must be the whole engine's.
/// </summary>
public sealed class SplitAccountEndsTests
{
    [Fact]
    public void Outflow_and_inflow_engines_merged_equal_one_engine_for_random_definitions_and_streams()
    {
        EngineScenarios.GenScenario.Where(s => s.Definition.Entities.Any(e => e.Inflows))
            .Sample(s => Check(s.Definition, s.Steps, s.Start, s.Shards, s.ClockAt), iter: EngineScenarios.Iterations(150));
    }

    private static void Check(RegistryDefinition definition, EngineScenarioStep[] steps, long start, int shards, double clockAt)
    {
        var stream = EngineScenarios.BuildStream(steps, start);
        var span = stream.Max(t => t.Transaction.TimestampMs) - start;
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(start + (long)(span * clockAt)));
        var plan = FeaturePlan.Compile(definition);
        var options = EngineOptions.From(definition) with { Threaded = false, ShardCount = shards };
        using var whole = new FeatureEngine(plan, options, clock);
        using var outflows = new FeatureEngine(plan, options with
        {
            Entities = new HashSet<string>(["customer"]),
            KeptDirection = EdgeDirection.Outflow,
        }, clock);
        using var inflows = new FeatureEngine(plan, options with
        {
            Entities = new HashSet<string>(["customer", "merchant"]),
            KeptDirection = EdgeDirection.Inflow,
        }, clock);
        var accepted = new List<Transaction>();
        foreach (var (transaction, query) in stream)
        {
            var status = whole.Ingest(transaction);
            Assert.Equal(status, outflows.Ingest(transaction));
            Assert.Equal(status, inflows.Ingest(transaction));
            if (status == IngestStatus.Accepted)
                accepted.Add(transaction);
            if (query)
                Compare(whole, outflows, inflows, definition, EngineScenarios.QueryTimes(accepted, definition, transaction.TimestampMs), accepted);
        }

        Compare(whole, outflows, inflows, definition, EngineScenarios.QueryTimes(accepted, definition, null), accepted);
    }

    private static void Compare(FeatureEngine whole, FeatureEngine outflows, FeatureEngine inflows, RegistryDefinition definition, List<long> times,
        IReadOnlyList<Transaction> accepted)
    {
        var probes = EngineScenarios.Probes(accepted);
        var customer = whole.Plan.Entity("customer")!;
        var merchant = whole.Plan.Entity("merchant")!;
        foreach (var id in EngineScenarios.AllIds)
        {
            var sent = outflows.ExportEntityState(customer, id);
            var received = inflows.ExportEntityState(customer, id);
            foreach (var q in times)
            {
                var expected = new double[customer.Features.Count];
                var actual = new double[customer.Features.Count];
                whole.Read(customer, id, q, expected);
                whole.StateFormat.Evaluate(customer, sent, received, q, actual);
                EngineScenarios.AssertBitEqual(customer, id, q, definition, expected, actual, "one engine", "merged");
                foreach (var probe in customer.RequestFeatures.Count == 0 ? [] : probes)
                {
                    // The two parts' seen values merged remember what one engine's do.
                    var scope = new Amlfs.Registry.Expressions.ExpressionScope(q, (double)probe.Amount, FeatureEngine.RequestFieldsOf(probe));
                    var one = new double[customer.ValueCount];
                    var merged = new double[customer.ValueCount];
                    whole.Evaluate(customer, id, q, one, scope);
                    whole.StateFormat.Evaluate(customer, sent, received, q, merged, scope);
                    EngineScenarios.AssertRequestBitEqual(customer, id, q, probe, customer.RequestValues(one), customer.RequestValues(merged),
                        "one engine", "merged");
                }

                expected = new double[merchant.Features.Count];
                actual = new double[merchant.Features.Count];
                whole.Read(merchant, id, q, expected);
                inflows.Read(merchant, id, q, actual);
                EngineScenarios.AssertBitEqual(merchant, id, q, definition, expected, actual, "one engine", "inflow engine");
            }
        }
    }
}
