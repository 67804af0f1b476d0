using Amlfs.Engine;
using Amlfs.Registry.Expressions;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

public sealed class EntityStateFormatTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 10, 15);

    [Fact]
    public async Task States_exported_while_events_are_ingested_are_consistent_snapshots()
    {
        const int Events = 20_000;
        var definition = TestEngines.Default;
        var options = EngineOptions.From(definition) with { Threaded = true, ShardCount = 2, QueueCapacity = 4096 };
        using var engine = new FeatureEngine(FeaturePlan.Compile(definition), options);
        var customer = engine.Plan.Entity("customer")!;
        var count = customer.IndexOf("txn_count_1h");
        var sum = customer.IndexOf("txn_amount_sum_1h");
        var q = Start + 3_000_000; // every event falls in the hour before q, and every amount is R$ 1.00, so sum == count
        var done = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var exporter = Task.Run(() =>
        {
            var values = new double[customer.Features.Count];
            var last = 0.0;
            for (var exports = 0; Volatile.Read(ref done) == 0 || exports < 200; exports++)
            {
                StoredStates.Evaluate(engine.StateFormat, customer, engine.ExportEntityState(customer, "C0"), null, q, values, NoNeighbours);
                if (values[sum] != values[count] || values[count] < last)
                    failures.Enqueue($"count {values[count]} (last {last}) sum {values[sum]}");
                last = values[count];
            }
        });

        for (var i = 0; i < Events; i++)
            engine.Ingest(Tx.At(Start + i * 100, customer: "C0", cents: 100));
        engine.Flush();
        Volatile.Write(ref done, 1);
        await exporter;

        Assert.Empty(failures);
        var final = new double[customer.Features.Count];
        StoredStates.Evaluate(engine.StateFormat, customer, engine.ExportEntityState(customer, "C0"), null, q, final, NoNeighbours);
        Assert.Equal(Events, final[count]);
    }

    [Fact]
    public void Values_with_request_features_from_bytes_are_bit_equal_to_the_engine()
    {
        using var engine = TestEngines.Inline();
        var random = new Random(7);
        var hours = 20 * 3_600_000L;
        foreach (var time in Enumerable.Range(0, 2_000).Select(_ => Start + random.NextInt64(0, hours)).Order())
        {
            // A third are transfers between the accounts, which the graph searches follow into the neighbours' states.
            engine.Ingest(random.Next(3) == 0
                ? Tx.Transfer(time, $"C{random.Next(5)}", $"C{random.Next(5)}", random.NextInt64(1, 5_000_00))
                : Tx.At(time, customer: $"C{random.Next(5)}", merchant: $"M{random.Next(3)}",
                    cents: random.NextInt64(1, 5_000_00), ip: $"10.0.0.{random.Next(9)}"));
        }

        engine.Flush();
        var ids = Enumerable.Range(0, 6).Select(e => "C" + e.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var graphValues = 0;
        foreach (var entity in engine.Plan.Entities)
        {
            for (var e = 0; e < 6; e++)
            {
                var id = (entity.Name == "merchant" ? "M" : "C") + e.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var bytes = engine.ExportEntityState(entity, id);
                foreach (var q in new[] { Start + 3_600_000, Start + 6 * 3_600_000L + 12_345, Start + hours, Start + hours + 3_600_001 })
                {
                    foreach (double? amount in new double?[] { null, 0.01, 1234.56 })
                    {
                        var scope = new ExpressionScope(q, amount);
                        var expected = new double[entity.ValueCount];
                        var actual = new double[entity.ValueCount];
                        var known = engine.Evaluate(entity, id, q, expected, scope, out var expectedSequence);

                        var sequence = StoredStates.Evaluate(engine.StateFormat, entity, bytes, null, q, actual, scope,
                            StoredStates.From(engine, entity, ids));
                        graphValues += entity.GraphAggregates.Count(a => actual[entity.AggregateValue(a)] != 0);

                        Assert.Equal(known, bytes is not null);
                        Assert.Equal(expectedSequence, sequence);
                        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
                    }
                }
            }
        }

        Assert.True(graphValues > 0, "no graph search found anything to compare");
        var customer = engine.Plan.Entity("customer")!;
        Assert.NotEmpty(customer.RequestFeatures);
        var withRequest = new double[customer.ValueCount];
        StoredStates.Evaluate(engine.StateFormat, customer, engine.ExportEntityState(customer, "C1"), null, Start + 60_000, withRequest,
            new ExpressionScope(Start + 60_000, 10), StoredStates.From(engine, customer, ids));
        Assert.Contains(customer.RequestValues(withRequest).ToArray(), v => v != 0);
    }

    /// <summary>For an account without transfers: a search that asked for another account would fail the test.</summary>
    private static (byte[]?, byte[]?) NoNeighbours(ulong hash) => throw new InvalidOperationException($"no neighbour was expected, and #{hash:x16} was asked for");

    [Fact]
    public void Bytes_of_another_entity_type_or_corrupt_bytes_are_refused()
    {
        using var engine = TestEngines.Inline();
        engine.Ingest(Tx.At(Start, customer: "C1", merchant: "M1"));
        var customer = engine.Plan.Entity("customer")!;
        var merchant = engine.Plan.Entity("merchant")!;
        var bytes = engine.ExportEntityState(customer, "C1")!;
        var values = new double[merchant.Features.Count];

        Assert.Throws<InvalidDataException>(() => engine.StateFormat.Evaluate(merchant, bytes, Start + 1, values));
        var corrupt = (byte[])bytes.Clone();
        corrupt[bytes.Length / 2] ^= 0x40;
        Assert.Throws<InvalidDataException>(() => engine.StateFormat.Evaluate(customer, corrupt, Start + 1, new double[customer.Features.Count]));
        Assert.Null(engine.ExportEntityState(customer, "nobody"));
    }

    [Fact]
    public void The_version_is_the_same_for_the_same_definitions_and_names_sixteen_hex_digits()
    {
        var a = new EntityStateFormat(FeaturePlan.Compile(TestEngines.Default));
        var b = new EntityStateFormat(FeaturePlan.Compile(TestEngines.Default));

        Assert.Equal(a.Version, b.Version);
        Assert.Matches("^[0-9a-f]{16}$", a.Version);
    }
}
