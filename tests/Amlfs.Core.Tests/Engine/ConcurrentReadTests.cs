using Amlfs.Engine;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// Readers on other threads while shard threads apply a stream. Every amount is R$ 1.00, so any consistent snapshot
/// has sum == count, average 1, maximum 1 and deviation 0; a torn read would break one of them. Counts seen by one
/// reader never go down, and after the stream every feature equals the reference.
/// </summary>
public sealed class ConcurrentReadTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 10, 15);

    [Fact]
    public async Task Readers_see_consistent_snapshots_while_events_are_ingested()
    {
        const int Events = 40_000;
        const int Entities = 4;
        var definition = TestEngines.Default;
        var plan = FeaturePlan.Compile(definition);
        var options = EngineOptions.From(definition) with { Threaded = true, ShardCount = 2, QueueCapacity = 4096 };
        using var engine = new FeatureEngine(plan, options);
        var customer = plan.Entity("customer")!;
        var count = customer.IndexOf("txn_count_1h");
        var sum = customer.IndexOf("txn_amount_sum_1h");
        var avg = customer.IndexOf("avg_txn_amount_1h");
        var max = customer.IndexOf("max_txn_amount_1h");
        var deviation = customer.IndexOf("amount_deviation_score_1h");
        var ips = customer.IndexOf("unique_ips_1h");
        // All events fall inside the hour before q, so the 1h features only grow.
        var q = Start + 3_000_000;

        var done = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var values = new double[customer.Features.Count];
            var last = new double[Entities];
            var reads = 0;
            while (Volatile.Read(ref done) == 0 || reads < 1000)
            {
                var e = reads++ % Entities;
                engine.Read(customer, "C" + e, q, values);
                if (values[sum] != values[count] || (values[count] > 0 && (values[avg] != 1 || values[max] != 1))
                    || values[deviation] != 0 || values[ips] > Math.Min(values[count], 3) || values[count] < last[e])
                {
                    failures.Enqueue($"reader {r}: C{e} count {values[count]} (last {last[e]}) sum {values[sum]} avg {values[avg]} max {values[max]} sd {values[deviation]} ips {values[ips]}");
                }

                last[e] = values[count];
            }
        })).ToArray();

        for (var i = 0; i < Events; i++)
            engine.Ingest(Tx.At(Start + i * 10, customer: "C" + (i % Entities), cents: 100, ip: "10.0.0." + (i % 3)));
        engine.Flush();
        Volatile.Write(ref done, 1);
        await Task.WhenAll(readers);

        Assert.Empty(failures);
        var final = engine.Features("customer", "C0", q);
        Assert.Equal(Events / Entities, final["txn_count_1h"]);
        Assert.Equal(Events / Entities, final["txn_amount_sum_1h"]);
        Assert.Equal(Events, engine.Accepted);
    }
}
