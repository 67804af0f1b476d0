using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Testing;
using Amlfs.Transactions;
using CsCheck;

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

    /// <summary>
    /// Random definitions and streams of the engine's property tests (transfers between accounts, inflows, directions
    /// and counterparties included): every row of every entity type, at every id, equals the brute-force reference.
    /// </summary>
    [Fact]
    public void Rows_of_random_definitions_and_edges_equal_the_brute_force_reference()
    {
        Gen.Select(EngineScenarios.GenScenario, Gen.Int[1, 3]).Sample(sample =>
        {
            var ((definition, steps, start, _, _), parallelism) = sample;
            var history = EngineScenarios.BuildStream(steps, start).Select(s => s.Transaction).OrderBy(t => t.TimestampMs).ToList();
            var reference = new ReferenceModel(definition, clockMs: null);
            foreach (var t in history)
                reference.Ingest(t);
            var plan = FeaturePlan.Compile(definition);
            var times = EngineScenarios.QueryTimes(reference.Accepted, definition, null).Where(q => q > start).Take(60).ToArray();
            // Every id of each entity type, and a row that names none (a transaction without an IP): an unknown entity.
            var rows = plan.Entities
                .Select(e => times.SelectMany(q => EngineScenarios.IdsOf(e).Append(null).Select(id => (Id: id, AsOfMs: q))).ToArray())
                .ToArray();
            // Each row scored as a request: one of the history's transactions, whose fields the request features compare.
            var replayed = ReplayHistory.From(history);
            int Request(int r) => (r * 7) % history.Count;
            var queries = plan.Entities.Select(e => new ReplayQuery(e, [.. rows[e.Index].Select(r => r.Id)], [.. rows[e.Index].Select(r => r.AsOfMs)],
                [.. rows[e.Index].Select((_, r) => (double)history[Request(r)].Amount)], [.. rows[e.Index].Select((_, r) => Request(r))])).ToArray();

            var result = PartitionedReplay.Run(plan, EngineOptions.From(definition), replayed, queries, parallelism);

            for (var q = 0; q < queries.Length; q++)
            {
                var entity = queries[q].Entity;
                var stored = entity.Features.Count;
                for (var r = 0; r < rows[q].Length; r++)
                {
                    var (id, asOf) = rows[q][r];
                    var row = result.Values[q].AsSpan(r * queries[q].Width, queries[q].Width);
                    AssertBitwise(reference.Features(entity.Name, id ?? "no entity", asOf), row[..stored], $"{entity.Name} {id} as of {asOf}");
                    var request = history[Request(r)];
                    EngineScenarios.AssertRequestBitEqual(entity, id, asOf, request, reference.RequestFeatures(entity.Name, id, asOf, request),
                        row[stored..], "reference", "partitioned replay");
                }
            }
        }, iter: EngineScenarios.Iterations(60));
    }

    /// <summary>
    /// A long history read by few rows: most events are read by no row (too old for every window, or outside the
    /// filters of the long tiled windows that would reach them) and are never applied. The rows must not notice.
    /// </summary>
    [Fact]
    public void Sparse_rows_over_a_long_history_equal_the_reference_although_most_events_are_skipped()
    {
        var random = new Random(17);
        var history = Enumerable.Range(0, 3_000)
            .Select(_ => Start + random.NextInt64(0, 12 * 86_400_000L))
            .Order()
            .Select(t => Tx.At(t, customer: "C" + random.Next(5), merchant: "M" + random.Next(3), cents: 1 + random.Next(900_000),
                ip: random.Next(4) == 0 ? null : "10.0.0." + random.Next(6)))
            .ToList();
        // Rows at event times, just after them, at the edges of the windows after them, and at random.
        var picks = Enumerable.Range(0, 12).Select(_ => history[random.Next(history.Count)]).ToList();
        var rows = picks.SelectMany(t => new[] { t.TimestampMs, t.TimestampMs + 1, t.TimestampMs + 3_600_000, t.TimestampMs + 3_600_001,
                t.TimestampMs + 86_400_000 + 300_000, t.TimestampMs + 7 * 86_400_000L + 3_600_000 }.Select(q => (t.CustomerId, t.MerchantId, q)))
            .Concat(Enumerable.Range(0, 20).Select(_ => ("C" + random.Next(5), "M" + random.Next(3), Start + random.NextInt64(0, 13 * 86_400_000L))))
            .ToArray();
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var customer = plan.Entity("customer")!;
        var merchant = plan.Entity("merchant")!;
        var queries = new[]
        {
            new ReplayQuery(customer, [.. rows.Select(r => r.Item1)], [.. rows.Select(r => r.Item3)]),
            new ReplayQuery(merchant, [.. rows.Select(r => r.Item2)], [.. rows.Select(r => r.Item3)]),
        };

        var result = PartitionedReplay.Run(plan, EngineOptions.From(TestEngines.Default), ReplayHistory.From(history), queries, parallelism: 2);

        var reference = new ReferenceModel(TestEngines.Default, clockMs: null);
        foreach (var t in history)
            reference.Ingest(t);
        for (var r = 0; r < rows.Length; r++)
        {
            AssertBitwise(reference.Features("customer", rows[r].Item1, rows[r].Item3),
                result.Values[0].AsSpan(r * queries[0].Width, queries[0].Width), $"row {r} customer");
            AssertBitwise(reference.Features("merchant", rows[r].Item2, rows[r].Item3),
                result.Values[1].AsSpan(r * queries[1].Width, queries[1].Width), $"row {r} merchant");
        }

        var nights = customer.Features.Select((f, i) => (f, i)).Single(p => p.f.Name == "night_txn_count_24h").i;
        var weekends = customer.Features.Select((f, i) => (f, i)).Single(p => p.f.Name == "weekend_txn_count_7d").i;
        Assert.Contains(Enumerable.Range(0, rows.Length), r => result.Values[0][r * queries[0].Width + nights] > 0);
        Assert.Contains(Enumerable.Range(0, rows.Length), r => result.Values[0][r * queries[0].Width + weekends] > 0);
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
    public void Fields_given_as_fingerprints_replay_as_the_strings_do()
    {
        var random = new Random(3);
        var transactions = Enumerable.Range(0, 300)
            .Select(i => Tx.At(Start + i * 7_000L, customer: "C" + random.Next(4), merchant: "M" + random.Next(3),
                ip: random.Next(4) == 0 ? null : "10.0.0." + random.Next(5), id: i % 50 == 49 ? "T0" : null))
            .ToList();
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var customer = plan.Entity("customer")!;
        var merchant = plan.Entity("merchant")!;
        var full = ReplayHistory.From(transactions);
        ulong[] Fingerprints(TransactionField f) => [.. full.Field(f)!.Select(v => v is null ? 0 : ReplayHistory.FieldFingerprint(v))];
        var fingerprinted = new ReplayHistory(full.TimesMs, full.AmountCents, [.. full.TransactionIds.Select((id, i) => i % 2 == 0 ? id : null)],
            [.. full.TransactionIds.Select(id => ReplayHistory.TransactionIdFingerprint(id))],
            new Dictionary<TransactionField, string?[]>
            {
                [TransactionField.CustomerId] = full.Field(TransactionField.CustomerId)!,
                [TransactionField.MerchantId] = full.Field(TransactionField.MerchantId)!,
            },
            fieldFingerprints: PartitionedReplay.FieldsRead(customer).Concat(PartitionedReplay.FieldsRead(merchant)).Distinct()
                .ToDictionary(f => f, Fingerprints));
        var times = Enumerable.Range(0, 40).Select(k => Start + k * 50_000L).ToArray();
        var queries = new[]
        {
            new ReplayQuery(customer, [.. times.Select((_, k) => "C" + k % 4)], times),
            new ReplayQuery(merchant, [.. times.Select((_, k) => "M" + k % 3)], times),
        };
        var options = EngineOptions.From(TestEngines.Default);

        var expected = PartitionedReplay.Run(plan, options, full, queries, parallelism: 2);
        var actual = PartitionedReplay.Run(plan, options, fingerprinted, queries, parallelism: 2);

        Assert.Equal(expected.Statuses, actual.Statuses);
        Assert.Contains(IngestStatus.Duplicate, actual.Statuses);
        Assert.True(actual.Values[0].Distinct().Count() > 5);
        for (var q = 0; q < queries.Length; q++)
            AssertBitwise(expected.Values[q], actual.Values[q], queries[q].Entity.Name);
    }

    /// <summary>
    /// Histories as they arrive at the online engine: ids repeated within and beyond the dedup retention (with other
    /// content), events out of order within the allowed lateness and beyond it, equal times, gaps around the retention.
    /// The online engine admits them one by one; the partitioned replay gets the same arrivals as a history in their
    /// admission order. Every decision and every value of every row must be equal, bit for bit.
    /// </summary>
    [Fact]
    public void It_takes_the_online_gates_decisions_and_computes_the_online_values_for_any_arrivals()
    {
        var seen = new Coverage();
        GenArrivals.Sample(c => CheckAgainstOnline(c.Retention, c.Lateness, c.Steps, c.Start, c.Parallelism, seen),
            iter: EngineScenarios.Iterations(150));

        Assert.True(seen.Duplicates > 0 && seen.AcceptedAgainAfterRetention > 0 && seen.AcceptedOutOfOrder > 0 && seen.Late > 0,
            $"the generated arrivals must exercise every rule: {seen}");
    }

    [Fact]
    public void A_history_out_of_time_order_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReplayHistory(
            [Start + 1, Start], [1, 1], ["a", "b"], new Dictionary<TransactionField, string?[]>()));
        Assert.Contains("transaction 1 goes back in time", e.Message, StringComparison.Ordinal);
    }

    private static readonly Gen<Step> GenStep = Gen.Select(
        Gen.Frequency((6, Gen.Const(0)), (2, Gen.Const(1)), (3, Gen.Const(2)), (1, Gen.Const(3)), (1, Gen.Const(4))),
        Gen.Double[0, 1], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Long[1, 900_000_00],
        Gen.Frequency((7, Gen.Const(-1)), (3, Gen.Int[0, 400])),
        (kind, fraction, customer, merchant, ip, cents, repeatOf) => new Step(kind, fraction, customer, merchant, ip, cents, repeatOf));

    private static readonly Gen<(long Retention, long Lateness, Step[] Steps, long Start, int Parallelism)> GenArrivals = Gen.Select(
        Gen.OneOf(60_000L, 600_000L, 1_800_000L), Gen.OneOf(0L, 30_000L, 300_000L), GenStep.Array[1, 150],
        Gen.Long[Tx.Utc(2025, 1, 1), Tx.Utc(2027, 1, 1)], Gen.Int[1, 3]);

    private static void CheckAgainstOnline(long retentionMs, long latenessMs, Step[] steps, long start, int parallelism, Coverage seen)
    {
        // A long query history, so that the online engine can be read as of any instant of the history at the end.
        var definition = TestEngines.Default with { DedupRetentionMs = retentionMs, AllowedLatenessMs = latenessMs, QueryHistoryMs = 60 * 86_400_000L };
        var plan = FeaturePlan.Compile(definition);
        var options = EngineOptions.From(definition);
        var arrivals = Arrivals(steps, start, retentionMs, latenessMs);

        using var online = new FeatureEngine(plan, options with { Threaded = false, ShardCount = 2 });
        var expected = arrivals.Select(online.Ingest).ToArray();
        seen.Note(arrivals, expected);

        var customer = plan.Entity("customer")!;
        var merchant = plan.Entity("merchant")!;
        var times = arrivals.SelectMany(t => new[] { t.TimestampMs, t.TimestampMs + 1, t.TimestampMs + 60_000 })
            .Append(arrivals.Max(t => t.TimestampMs) + 1).Distinct().ToArray();
        var rows = times.SelectMany(q => Customers.Select((id, k) => (Id: id, Merchant: Merchants[k], AsOfMs: q, Amount: 10.0 + k))).ToArray();
        var queries = new[]
        {
            new ReplayQuery(customer, rows.Select(r => r.Id).ToArray(), rows.Select(r => r.AsOfMs).ToArray(), rows.Select(r => r.Amount).ToArray()),
            new ReplayQuery(merchant, rows.Select(r => r.Merchant).ToArray(), rows.Select(r => r.AsOfMs).ToArray()),
        };
        var history = ReplayHistory.FromArrivals(arrivals);

        var result = PartitionedReplay.Run(plan, options, history, queries, parallelism);

        for (var k = 0; k < arrivals.Count; k++)
        {
            var actual = result.Statuses[history.AdmissionOrder![k]];
            Assert.True(expected[k] == actual, $"arrival {k} ({arrivals[k]}): online {expected[k]}, partitioned replay {actual}");
        }

        for (var q = 0; q < queries.Length; q++)
        {
            var query = queries[q];
            var entity = query.Entity;
            var values = new double[entity.ValueCount];
            var width = query.Width;
            for (var r = 0; r < rows.Length; r++)
            {
                var amount = query.RequestAmounts?[r];
                online.Evaluate(entity, query.EntityIds[r], query.AsOfMs[r], values, new ExpressionScope(query.AsOfMs[r], amount));
                var stored = new double[entity.Features.Count];
                FeatureEngine.CopyFeatures(entity, values, stored);
                double[] served = amount is null ? stored : [.. stored, .. entity.RequestValues(values)];
                AssertBitwise(served, result.Values[q].AsSpan(r * width, width), $"{entity.Name} {query.EntityIds[r]} as of {query.AsOfMs[r]}");
            }
        }
    }

    private static readonly string[] Customers = ["C1", "C2", "C3"];
    private static readonly string[] Merchants = ["M1", "M2", "M3"];
    private static readonly string?[] Ips = ["10.0.0.1", "10.0.0.2", "10.0.0.3", null];

    private static List<Transaction> Arrivals(Step[] steps, long start, long retentionMs, long latenessMs)
    {
        var arrivals = new List<Transaction>();
        var newest = start;
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var offset = s.Kind switch
            {
                0 => (long)(s.Fraction * 60_000),                                // forward, often by little
                1 => 0,                                                           // the newest time again
                2 => -(long)(s.Fraction * latenessMs),                            // out of order within the lateness
                3 => -(latenessMs + 1 + (long)(s.Fraction * 600_000)),            // late
                _ => retentionMs / 2 + (long)(s.Fraction * 3 * retentionMs),      // a gap around the dedup retention
            };
            var time = newest + offset;
            newest = Math.Max(newest, time);
            var id = s.RepeatOf >= 0 && arrivals.Count > 0 ? arrivals[s.RepeatOf % arrivals.Count].TransactionId : "T" + i;
            arrivals.Add(Tx.At(time, customer: Customers[s.Customer], merchant: Merchants[s.Merchant], cents: s.Cents, ip: Ips[s.Ip], id: id));
        }

        return arrivals;
    }

    private sealed record Step(int Kind, double Fraction, int Customer, int Merchant, int Ip, long Cents, int RepeatOf);

    /// <summary>What the generated arrivals exercised, over every sample (from CsCheck's threads): each rule at least once.</summary>
    private sealed class Coverage
    {
        private int _duplicates;
        private int _acceptedAgain;
        private int _acceptedOutOfOrder;
        private int _late;

        public int Duplicates => Volatile.Read(ref _duplicates);

        public int AcceptedAgainAfterRetention => Volatile.Read(ref _acceptedAgain);

        public int AcceptedOutOfOrder => Volatile.Read(ref _acceptedOutOfOrder);

        public int Late => Volatile.Read(ref _late);

        public void Note(List<Transaction> arrivals, IngestStatus[] statuses)
        {
            var accepted = new HashSet<string>(StringComparer.Ordinal);
            var watermark = long.MinValue;
            for (var k = 0; k < arrivals.Count; k++)
            {
                var t = arrivals[k];
                switch (statuses[k])
                {
                    case IngestStatus.Duplicate:
                        Interlocked.Increment(ref _duplicates);
                        break;
                    case IngestStatus.Late:
                        Interlocked.Increment(ref _late);
                        break;
                    case IngestStatus.Accepted:
                        if (!accepted.Add(t.TransactionId))
                            Interlocked.Increment(ref _acceptedAgain);
                        if (t.TimestampMs < watermark)
                            Interlocked.Increment(ref _acceptedOutOfOrder);
                        watermark = Math.Max(watermark, t.TimestampMs);
                        break;
                }
            }
        }

        public override string ToString() =>
            $"{Duplicates} duplicates, {AcceptedAgainAfterRetention} ids accepted again after the retention, {AcceptedOutOfOrder} accepted out of order, {Late} late";
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
