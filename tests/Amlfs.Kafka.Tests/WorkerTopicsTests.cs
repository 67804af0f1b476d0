using Amlfs.Engine;
using Amlfs.Kafka.Workers;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Kafka.Tests;

public sealed class WorkerTopicsTests
{
    private static readonly long T0 = Tx.Utc(2026, 3, 10, 14);

    [Fact]
    public void The_seed_definitions_keep_the_source_topic_and_one_re_keyed_topic_for_merchants()
    {
        var topics = WorkerTopics.For(FeaturePlan.Compile(DefinitionTexts.Seed()), "transactions");

        Assert.Equal(["transactions", "transactions.by-merchant"], topics.Roles.Select(r => r.Topic));
        Assert.Equal("transactions (keyed by customer_id: customer), transactions.by-merchant (keyed by merchant_id: merchant)", topics.ToString());
    }

    [Fact]
    public void An_account_with_inflows_keeps_its_outflows_on_the_source_topic_and_its_inflows_on_the_merchant_topic()
    {
        var plan = FeaturePlan.Compile(DefinitionTexts.InflowDefinitions());
        var topics = WorkerTopics.For(plan, "transactions");

        Assert.Equal(["transactions", "transactions.by-merchant", "transactions.by-ip", "transactions.by-device"], topics.Roles.Select(r => r.Topic));
        Assert.Equal(
            "transactions (keyed by customer_id: customer outflows), transactions.by-merchant (keyed by merchant_id: merchant, customer inflows), "
            + "transactions.by-ip (keyed by ip_address: ip), transactions.by-device (keyed by device_id: device)",
            topics.ToString());
        var engineOptions = EngineOptions.From(TestEngines.Default);
        var source = topics.Roles[0].PartitionOptions(engineOptions);
        var merchants = topics.Roles[1].PartitionOptions(engineOptions);
        Assert.Equal(["customer"], source.Entities!.Order());
        Assert.Equal(["customer", "merchant"], merchants.Entities!.Order());
        Assert.Equal((EdgeDirection.Outflow, EdgeDirection.Inflow), (source.KeptDirection, merchants.KeptDirection));
        var format = new EntityStateFormat(plan);
        var customer = plan.Entity("customer")!;
        Assert.False(topics.Roles[0].StateKey(format, customer, "A").Inflows);
        Assert.True(topics.Roles[1].StateKey(format, customer, "A").Inflows);
    }

    [Fact]
    public void Without_a_merchant_entity_the_inflows_get_a_topic_keyed_by_destination_that_takes_transfers_only()
    {
        var topics = WorkerTopics.For(FeaturePlan.Compile(WorkerScenario.AccountsOnly()), "transactions");

        Assert.Equal("transactions (keyed by customer_id: customer outflows), transactions.by-destination (keyed by merchant_id: customer inflows)", topics.ToString());
        var destination = topics.Roles[1];
        Assert.True(destination.Hosts(Tx.Transfer(T0, "A", "B")));
        Assert.False(destination.Hosts(Tx.At(T0, customer: "A", merchant: "SHOP")));
    }
}
