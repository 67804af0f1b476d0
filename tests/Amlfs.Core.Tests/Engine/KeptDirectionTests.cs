using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// Engines that keep one end of accounts with inflows (<see cref="EngineOptions.KeptDirection"/>), as the two topics of
/// Kafka workers do, and the two partial states of an account evaluated merged.
/// </summary>
public sealed class KeptDirectionTests
{
    private static readonly long T0 = Tx.Utc(2026, 3, 10, 14);
    private static readonly RegistryDefinition Definitions = DefinitionTexts.InflowDefinitions();

    private static FeatureEngine Keeping(EdgeDirection direction, params string[] entities) =>
        TestEngines.Inline(Definitions, configure: o => o with
        {
            KeptDirection = direction,
            Entities = entities.Length == 0 ? null : entities.ToHashSet(StringComparer.Ordinal),
        });

    [Fact]
    public void An_engine_keeping_outflows_sees_what_an_account_sends_and_one_keeping_inflows_what_it_receives()
    {
        using var outflows = Keeping(EdgeDirection.Outflow, "customer");
        using var inflows = Keeping(EdgeDirection.Inflow, "customer", "merchant");
        foreach (var engine in new[] { outflows, inflows })
        {
            engine.Ingest(Tx.Transfer(T0, "A", "B", cents: 400_00));
            engine.Ingest(Tx.Transfer(T0 + 1_000, "B", "C", cents: 150_00));
            engine.Ingest(Tx.At(T0 + 2_000, customer: "B", merchant: "SHOP", cents: 20_00));
        }

        var q = T0 + 60_000;
        Assert.Equal((0.0, 2.0), (outflows.Features("customer", "B", q)["inflow_amount_sum_1h"], outflows.Features("customer", "B", q)["txn_count_1h"]));
        Assert.Equal((400.0, 0.0), (inflows.Features("customer", "B", q)["inflow_amount_sum_1h"], inflows.Features("customer", "B", q)["txn_count_1h"]));
        Assert.Equal(0, outflows.EntityCount(outflows.Plan.Entity("merchant")!));
        Assert.Equal(2, inflows.EntityCount(inflows.Plan.Entity("customer")!)); // B and C received; A only sent
        Assert.Equal(1.0, inflows.Features("merchant", "SHOP", q)["merchant_txn_count_1h"]);
    }

    [Fact]
    public void The_two_partial_states_of_an_account_evaluate_merged_as_one_engine_with_the_newest_log_sequence()
    {
        using var whole = Keeping(EdgeDirection.Both);
        using var outflows = Keeping(EdgeDirection.Outflow, "customer");
        using var inflows = Keeping(EdgeDirection.Inflow, "customer", "merchant");
        var random = new Random(11);
        string[] accounts = ["A", "B", "C", "D"];
        for (var i = 0; i < 400; i++)
        {
            var from = accounts[random.Next(accounts.Length)];
            var time = T0 + (i * 211_000L);
            var transaction = random.Next(3) == 0
                ? Tx.At(time, customer: from, merchant: "SHOP", cents: random.NextInt64(1, 900_00))
                : Tx.Transfer(time, from, accounts[random.Next(accounts.Length)], cents: random.NextInt64(1, 900_00));
            foreach (var engine in new[] { whole, outflows, inflows })
                Assert.Equal(IngestStatus.Accepted, engine.Ingest(transaction));
        }

        var customer = whole.Plan.Entity("customer")!;
        var expected = new double[customer.Features.Count];
        var merged = new double[customer.Features.Count];
        foreach (var account in accounts)
        {
            var sent = outflows.ExportEntityState(customer, account);
            var received = inflows.ExportEntityState(customer, account);
            Assert.NotNull(received);
            foreach (var q in new[] { T0 + (390 * 211_000L), T0 + (400 * 211_000L), T0 + (400 * 211_000L) + 3_600_000 })
            {
                whole.Read(customer, account, q, expected, out var sequence);
                Assert.Equal(sequence, StoredStates.Evaluate(whole.StateFormat, customer, sent, received, q, merged,
                    StoredStates.From(outflows, inflows, customer, accounts)));
                Assert.Equal(expected, merged);
            }
        }
    }

    [Fact]
    public void One_partial_state_alone_evaluates_as_the_engine_that_kept_it()
    {
        using var inflows = Keeping(EdgeDirection.Inflow, "customer", "merchant");
        inflows.Ingest(Tx.Transfer(T0, "A", "B", cents: 400_00));
        var customer = inflows.Plan.Entity("customer")!;
        var q = T0 + 1;
        var read = new double[customer.Features.Count];
        var merged = new double[customer.Features.Count];

        inflows.Read(customer, "B", q, read);
        StoredStates.Evaluate(inflows.StateFormat, customer, null, inflows.ExportEntityState(customer, "B"), q, merged,
            hash => (null, hash == NeighbourStates.FingerprintOf("A") ? inflows.ExportEntityState(customer, "A") : null));

        Assert.Equal(read, merged);
        Assert.Equal(400.0, merged[customer.IndexOf("inflow_amount_sum_1h")]);
    }

    [Fact]
    public void Partial_states_of_two_accounts_are_refused_as_unreadable()
    {
        using var outflows = Keeping(EdgeDirection.Outflow, "customer");
        using var inflows = Keeping(EdgeDirection.Inflow, "customer", "merchant");
        outflows.Ingest(Tx.Transfer(T0, "A", "B"));
        inflows.Ingest(Tx.Transfer(T0, "A", "B"));
        var customer = outflows.Plan.Entity("customer")!;

        var error = Assert.Throws<InvalidDataException>(() => outflows.StateFormat.Evaluate(
            customer, outflows.ExportEntityState(customer, "A"), inflows.ExportEntityState(customer, "B"), T0 + 1, new double[customer.Features.Count]));

        Assert.Contains("'A' and 'B'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_restores_only_into_an_engine_keeping_the_same_direction()
    {
        using var outflows = Keeping(EdgeDirection.Outflow, "customer");
        outflows.Ingest(Tx.Transfer(T0, "A", "B"));
        using var snapshot = new MemoryStream();
        outflows.WriteSnapshot(snapshot);

        using var inflows = Keeping(EdgeDirection.Inflow, "customer");
        snapshot.Position = 0;
        Assert.False(inflows.TryRestoreSnapshot(snapshot));
        using var again = Keeping(EdgeDirection.Outflow, "customer");
        snapshot.Position = 0;
        Assert.True(again.TryRestoreSnapshot(snapshot));
    }

    [Fact]
    public void The_kept_direction_leaves_snapshots_of_definitions_without_inflows_as_they_were()
    {
        var withoutInflows = DefinitionTexts.Seed();
        using var before = TestEngines.Inline(withoutInflows, configure: o => o with { Entities = new HashSet<string>(["customer"]) });
        before.Ingest(Tx.At(T0));
        using var snapshot = new MemoryStream();
        before.WriteSnapshot(snapshot);

        using var outflows = TestEngines.Inline(withoutInflows, configure: o => o with { Entities = new HashSet<string>(["customer"]), KeptDirection = EdgeDirection.Outflow });
        snapshot.Position = 0;

        Assert.True(outflows.TryRestoreSnapshot(snapshot));
    }
}
