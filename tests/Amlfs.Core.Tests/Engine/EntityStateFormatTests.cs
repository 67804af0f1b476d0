using Amlfs.Engine;
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
                engine.StateFormat.Evaluate(customer, engine.ExportEntityState(customer, "C0"), q, values);
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
        engine.StateFormat.Evaluate(customer, engine.ExportEntityState(customer, "C0"), q, final);
        Assert.Equal(Events, final[count]);
    }

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
