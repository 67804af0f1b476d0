using Amlfs.Engine;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Engine;

public sealed class PointInTimeReplayTests
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
            .Select(t => new ReplayRequest("customer", t.CustomerId, t.TimestampMs))
            .Append(new ReplayRequest("merchant", "M1", Start + 300 * 17_000L))
            .ToList();
        var plan = Amlfs.Engine.FeaturePlan.Compile(TestEngines.Default);
        var rows = new List<(ReplayRequest Request, double[] Features)>();
        var statistics = PointInTimeReplay.Run(plan, EngineOptions.From(TestEngines.Default), history, requests,
            (request, features) => rows.Add((request, features.ToArray())));

        Assert.Equal(requests.Count, statistics.Rows);
        Assert.Equal(history.Count, statistics.Accepted);
        using var online = TestEngines.Inline();
        foreach (var t in history)
            online.Ingest(t);
        foreach (var (request, features) in rows)
        {
            var entity = plan.Entity(request.Entity)!;
            var expected = new double[entity.Features.Count];
            online.Read(entity, request.EntityId, request.AsOfMs, expected);
            Assert.Equal(expected, features);
        }
    }

    [Fact]
    public void A_row_never_sees_the_transaction_at_its_own_time()
    {
        var history = new[] { Tx.At(Start), Tx.At(Start + 1_000) };
        double seen = -1;
        var plan = Amlfs.Engine.FeaturePlan.Compile(TestEngines.Default);
        var count = plan.Entity("customer")!.IndexOf("txn_count_60s");
        PointInTimeReplay.Run(plan, EngineOptions.From(TestEngines.Default), history,
            [new ReplayRequest("customer", "CUST_1", Start + 1_000)], (_, features) => seen = features[count]);
        Assert.Equal(1, seen);
    }

    [Fact]
    public void History_out_of_event_time_order_is_refused()
    {
        var history = new[] { Tx.At(Start + 1_000), Tx.At(Start) };
        var plan = Amlfs.Engine.FeaturePlan.Compile(TestEngines.Default);
        var e = Assert.Throws<ArgumentException>(() => PointInTimeReplay.Run(plan, EngineOptions.From(TestEngines.Default),
            history, [new ReplayRequest("customer", "CUST_1", Start + 2_000)], (_, _) => { }));
        Assert.Contains("event-time order", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_must_be_in_time_order_and_name_known_entities()
    {
        var plan = Amlfs.Engine.FeaturePlan.Compile(TestEngines.Default);
        var options = EngineOptions.From(TestEngines.Default);
        Assert.Throws<ArgumentException>(() => PointInTimeReplay.Run(plan, options, Array.Empty<Transaction>(),
            [new ReplayRequest("customer", "C", Start + 1), new ReplayRequest("customer", "C", Start)], (_, _) => { }));
        var e = Assert.Throws<ArgumentException>(() => PointInTimeReplay.Run(plan, options, Array.Empty<Transaction>(),
            [new ReplayRequest("device", "D", Start)], (_, _) => { }));
        Assert.Contains("unknown entity 'device'", e.Message, StringComparison.Ordinal);
    }
}
