using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Engine;

public sealed class PartitionedReplayTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 14, 0, 30); // a Saturday night in Sao Paulo

    [Fact]
    public void Every_row_equals_the_brute_force_reference_whatever_the_partitioning()
    {
        var random = new Random(11);
        var history = new List<Transaction>();
        for (var i = 0; i < 800; i++)
        {
            // Clustered times with ties, a few ids repeated later (duplicates), some missing IPs.
            var t = Start + random.Next(0, 3 * 3_600) * 1_000L + (i % 4 == 0 ? 0 : random.Next(1_000));
            var id = i % 37 == 0 && i > 0 ? history[random.Next(history.Count)].TransactionId : null;
            history.Add(Tx.At(t, customer: "C" + random.Next(9), merchant: "M" + random.Next(4), cents: 1 + random.Next(500_000),
                ip: random.Next(6) == 0 ? null : "10.0.0." + random.Next(5), id: id));
        }

        var rows = history.Where((_, i) => i % 3 == 0).Select(t => (t.CustomerId, t.MerchantId, t.TimestampMs, t.Amount))
            .Concat(Enumerable.Range(0, 50).Select(k => (CustomerId: "C" + k % 10, MerchantId: "M" + k % 5, TimestampMs: Start + k * 250_000L, Amount: 12.5m)))
            .OrderBy(_ => random.Next())
            .ToArray();
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var customer = plan.Entity("customer")!;
        var merchant = plan.Entity("merchant")!;
        var queries = new[]
        {
            new ReplayQuery(customer, rows.Select(r => r.CustomerId).ToArray(), rows.Select(r => r.TimestampMs).ToArray(),
                rows.Select(r => (double)r.Amount).ToArray()),
            new ReplayQuery(merchant, rows.Select(r => r.MerchantId).ToArray(), rows.Select(r => r.TimestampMs).ToArray()),
        };

        var result = PartitionedReplay.Run(plan, EngineOptions.From(TestEngines.Default), ReplayHistory.From(history), queries, parallelism: 2);

        var reference = new ReferenceModel(TestEngines.Default, clockMs: null);
        foreach (var t in history.OrderBy(t => t.TimestampMs))
            reference.Ingest(t);
        Assert.Equal(history.Count - reference.Accepted.Count, result.Duplicates);
        Assert.True(result.Duplicates > 0);
        for (var r = 0; r < rows.Length; r++)
        {
            var expectedCustomer = reference.Features("customer", rows[r].CustomerId, rows[r].TimestampMs);
            var actualCustomer = result.Values[0].AsSpan(r * queries[0].Width, queries[0].Width);
            AssertBitwise(expectedCustomer, actualCustomer[..customer.Features.Count], $"row {r} customer");
            var count60 = expectedCustomer[customer.IndexOf("txn_count_60s")];
            var sum60 = expectedCustomer[customer.IndexOf("txn_amount_sum_60s")];
            Assert.Equal(count60 + 1, actualCustomer[customer.Features.Count]);
            Assert.Equal(sum60 + (double)rows[r].Amount, actualCustomer[customer.Features.Count + 1]);
            var expectedMerchant = reference.Features("merchant", rows[r].MerchantId, rows[r].TimestampMs);
            AssertBitwise(expectedMerchant, result.Values[1].AsSpan(r * queries[1].Width, queries[1].Width), $"row {r} merchant");
        }
    }

    [Fact]
    public void A_row_sees_the_events_before_its_instant_and_not_the_one_at_it()
    {
        var history = new[] { Tx.At(Start, cents: 1_00), Tx.At(Start + 999, cents: 2_00), Tx.At(Start + 1_000, cents: 4_00) };
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var customer = plan.Entity("customer")!;

        var result = PartitionedReplay.Run(plan, EngineOptions.From(TestEngines.Default), ReplayHistory.From(history),
            [new ReplayQuery(customer, ["CUST_1"], [Start + 1_000])], parallelism: 1);

        Assert.Equal(2, result.Values[0][customer.IndexOf("txn_count_60s")]);
        Assert.Equal(3.0, result.Values[0][customer.IndexOf("txn_amount_sum_60s")]);
    }

    [Fact]
    public void A_history_out_of_time_order_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReplayHistory(
            [Start + 1, Start], [1, 1], ["a", "b"], new Dictionary<TransactionField, string?[]>()));
        Assert.Contains("transaction 1 goes back in time", e.Message, StringComparison.Ordinal);
    }

    private static void AssertBitwise(double[] expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                Assert.Fail($"{what}: feature {i}: reference {expected[i]:R}, replay {actual[i]:R}");
        }
    }
}
