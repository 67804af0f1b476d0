using Amlfs.Engine;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

public sealed class KeptEntitiesTests
{
    private static readonly long T0 = Tx.Utc(2026, 3, 10, 14);

    private static FeatureEngine Keeping(params string[] entities) =>
        TestEngines.Inline(configure: o => o with { Entities = entities.ToHashSet(StringComparer.Ordinal) });

    [Fact]
    public void An_engine_keeping_customers_holds_no_merchant_and_reads_customers_as_a_full_engine()
    {
        using var customers = Keeping("customer");
        using var full = TestEngines.Inline();
        for (var i = 0; i < 50; i++)
        {
            var transaction = Tx.At(T0 + (i * 7_000), customer: $"C{i % 5}", merchant: $"M{i % 3}", cents: 1_000 + (i * 37), ip: $"10.0.0.{i % 4}");
            Assert.Equal(IngestStatus.Accepted, customers.Ingest(transaction));
            full.Ingest(transaction);
        }

        Assert.Equal(0, customers.EntityCount(customers.Plan.Entity("merchant")!));
        Assert.Equal(5, customers.EntityCount(customers.Plan.Entity("customer")!));
        var q = T0 + 400_000;
        for (var c = 0; c < 5; c++)
            Assert.Equal(full.Features("customer", $"C{c}", q), customers.Features("customer", $"C{c}", q));
    }

    [Fact]
    public void A_snapshot_of_an_engine_keeping_some_entities_does_not_restore_into_one_keeping_others()
    {
        using var customers = Keeping("customer");
        customers.Ingest(Tx.At(T0));
        using var snapshot = new MemoryStream();
        customers.WriteSnapshot(snapshot);

        using var merchants = Keeping("merchant");
        snapshot.Position = 0;
        Assert.False(merchants.TryRestoreSnapshot(snapshot));
        using var again = Keeping("customer");
        snapshot.Position = 0;
        Assert.True(again.TryRestoreSnapshot(snapshot));
    }

    [Fact]
    public void Keeping_an_entity_the_definitions_do_not_declare_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => Keeping("terminal"));

        Assert.Contains("'terminal'", error.Message, StringComparison.Ordinal);
    }
}
