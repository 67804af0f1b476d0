using Amlfs.Consistency;
using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>Entity types joined on <c>ip_address</c> and <c>device_id</c>: accounts sharing an IP or a device.</summary>
public sealed class IpAndDeviceEntityTests
{
    private static readonly long Noon = Tx.Utc(2026, 3, 10, 15);

    [Fact]
    public void Accounts_sharing_an_ip_are_counted_over_the_hour_and_the_day()
    {
        using var engine = TestEngines.Inline(TestEngines.Default);
        engine.Ingest(Tx.At(Noon - 20 * 3_600_000L, customer: "A1", ip: "177.20.0.9"));
        engine.Ingest(Tx.At(Noon - 30 * 60_000, customer: "A2", ip: "177.20.0.9"));
        engine.Ingest(Tx.At(Noon - 20 * 60_000, customer: "A3", ip: "177.20.0.9"));
        engine.Ingest(Tx.At(Noon - 10 * 60_000, customer: "A3", ip: "177.20.0.9"));

        var ip = engine.Features("ip", "177.20.0.9", Noon);

        Assert.Equal(2, ip["ip_unique_accounts_1h"]);
        Assert.Equal(3, ip["ip_unique_accounts_24h"]);
        Assert.Equal(3, ip["ip_txn_count_1h"]);
        Assert.Equal(4, ip["ip_txn_count_24h"]);
        Assert.Equal(1, engine.Features("ip", "177.20.0.9", Noon + 24 * 3_600_000L - 10 * 60_000)["ip_unique_accounts_24h"]);
    }

    [Fact]
    public void Transactions_without_an_ip_or_a_device_reach_no_such_entity()
    {
        using var engine = TestEngines.Inline(TestEngines.Default);
        engine.Ingest(Tx.At(Noon, customer: "A1", ip: null));
        engine.Ingest(Tx.At(Noon + 1, customer: "A2", ip: "10.0.0.1") with { DeviceId = "PHONE_1" });
        engine.Ingest(Tx.At(Noon + 2, customer: "A3", ip: "10.0.0.1"));

        Assert.Equal(1, engine.EntityCount(engine.Plan.Entity("ip")!));
        Assert.Equal(1, engine.EntityCount(engine.Plan.Entity("device")!));
        Assert.Equal(3, engine.EntityCount(engine.Plan.Entity("customer")!));
        Assert.Equal(2, engine.Features("ip", "10.0.0.1", Noon + 3)["ip_unique_accounts_1h"]);
    }

    [Fact]
    public void A_request_that_names_no_ip_reads_the_ip_entity_as_unknown()
    {
        using var engine = TestEngines.Inline(TestEngines.Default);
        engine.Ingest(Tx.At(Noon, customer: "A1", ip: "10.0.0.1"));
        var ip = engine.Plan.Entity("ip")!;
        var values = new double[ip.ValueCount];

        var known = engine.Evaluate(ip, null, Noon + 1, values, new(Noon + 1, 10), out var sequence);

        Assert.False(known);
        Assert.Equal(0, sequence);
        Assert.All(values, v => Assert.Equal(0, v));
    }

    [Fact]
    public void The_consistency_check_recomputes_the_vectors_of_an_ip_and_a_device()
    {
        var definition = TestEngines.Default;
        using var engine = TestEngines.Inline(definition);
        var history = new List<WalRecord>();
        foreach (var t in new[]
        {
            Tx.At(Noon, customer: "A1", ip: "10.0.0.1") with { DeviceId = "PHONE_1" },
            Tx.At(Noon + 1_000, customer: "A2", ip: "10.0.0.1"),
            Tx.At(Noon + 2_000, customer: "A3", ip: null) with { DeviceId = "PHONE_1" },
        })
        {
            Assert.Equal(IngestStatus.Accepted, engine.Ingest(t));
            history.Add(new WalRecord(engine.LogSequence, t));
        }

        var vectors = new[] { ("ip", "10.0.0.1"), ("device", "PHONE_1") }.Select(p =>
        {
            var entity = engine.Plan.Entity(p.Item1)!;
            var values = new double[entity.Features.Count];
            engine.Read(entity, p.Item2, Noon + 3_000, values, out var sequence);
            return new LoggedVector(p.Item1, p.Item2, Noon + 3_000, sequence, Noon + 3_000, FeatureLogKind.Features, null,
                [.. entity.Features.Select(f => f.Name)], [.. values.Select(v => (double?)v)]);
        }).ToArray();
        vectors[0].Values[0] = 7; // ip_unique_accounts_1h served wrong

        var report = ConsistencyCheck.Run(engine.Plan, EngineOptions.From(definition), history, vectors);

        Assert.Equal((2L, 1L, 1L), (report.Recomputed, report.MismatchedVectors, report.Mismatches));
        Assert.Equal(2.0, Assert.Single(report.Examples).Recomputed);
        Assert.Equal(1, report.Features.Single(f => f.Feature == "device_unique_accounts_1h").Compared);
    }
}
