using System.Diagnostics;
using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Transactions;

namespace Amlfs.Cli.Bench;

/// <summary>
/// Measures the engine on a stream: ingest throughput with shard threads, allocations per ingested event in steady
/// state, latency of reading every feature of one customer, and heap bytes per entity after one busy hour.
/// </summary>
internal static class EngineBench
{
    private const int Reads = 200_000;

    public static EngineBenchResult Run(RegistryDefinition definition, IReadOnlyList<Transaction> stream, int shards,
        bool threaded, Action<string> progress)
    {
        var plan = FeaturePlan.Compile(definition);
        progress("measuring memory per entity over the busiest hour");
        var (bytesPerEntity, bytesPerCustomer, entities) = MeasureMemory(definition, plan, stream);

        var options = EngineOptions.From(definition) with
        {
            Threaded = threaded,
            ShardCount = shards,
            ExpectedTransactions = stream.Count,
        };

        using var engine = new FeatureEngine(plan, options);
        // Warm-up: the first tenth creates most entities and lets the JIT reach its final tier.
        var warm = stream.Count / 10;
        progress($"warming up on {warm:N0} events");
        for (var i = 0; i < warm; i++)
            engine.Ingest(stream[i]);
        engine.Flush();

        progress($"ingesting {stream.Count - warm:N0} events on {shards} shards");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        for (var i = warm; i < stream.Count; i++)
            engine.Ingest(stream[i]);
        engine.Flush();
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var measured = stream.Count - warm;
        var eventsPerSecond = measured / clock.Elapsed.TotalSeconds;

        progress($"reading all features of a customer {Reads:N0} times");
        var (p50, p99, max) = MeasureReads(engine, plan.Entity("customer")!, stream);
        return new EngineBenchResult(
            measured, eventsPerSecond, p50, p99, max, (double)allocated / measured, GC.CollectionCount(0) - gcBefore,
            bytesPerEntity, bytesPerCustomer, entities, engine.Accepted, engine.Duplicates, engine.Late);
    }

    private static (double P50, double P99, double Max) MeasureReads(FeatureEngine engine, EntityPlan customer,
        IReadOnlyList<Transaction> stream)
    {
        var ids = stream.Skip(Math.Max(0, stream.Count - 100_000)).Select(t => t.CustomerId).Distinct().ToArray();
        var asOf = engine.Watermark!.Value.ToUnixTimeMilliseconds() + 1;
        var values = new double[customer.Features.Count];
        var random = new Random(42);
        for (var i = 0; i < 20_000; i++)
            engine.Read(customer, ids[random.Next(ids.Length)], asOf, values);
        var latencies = new double[Reads];
        for (var i = 0; i < Reads; i++)
        {
            var id = ids[random.Next(ids.Length)];
            var start = Stopwatch.GetTimestamp();
            engine.Read(customer, id, asOf, values);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(latencies);
        return (latencies[Reads / 2], latencies[(int)(Reads * 0.99)], latencies[^1]);
    }

    /// <summary>
    /// Heap growth of an engine fed the busiest hour of the stream, less the transaction-id table (a per-transaction
    /// cost, not a per-entity one), divided by the entities it created.
    /// </summary>
    private static (double PerEntity, double PerCustomer, int Entities) MeasureMemory(
        RegistryDefinition definition, FeaturePlan plan, IReadOnlyList<Transaction> stream)
    {
        const long Hour = 3_600_000;
        var busiest = stream.GroupBy(t => t.TimestampMs / Hour).MaxBy(g => g.Count())!.ToArray();
        var options = EngineOptions.From(definition) with { Threaded = false, ShardCount = 1, ExpectedTransactions = busiest.Length };
        var before = HeapBytes();
        using var engine = new FeatureEngine(plan, options);
        var idTable = HeapBytes() - before;
        foreach (var t in busiest)
            engine.Ingest(t);
        var after = HeapBytes();
        var customer = plan.Entity("customer")!;
        var entities = plan.Entities.Sum(engine.EntityCount);
        var perEntity = (double)(after - before - idTable) / entities;
        var perCustomer = (double)engine.EntityBytes(customer) / engine.EntityCount(customer);
        GC.KeepAlive(engine);
        GC.KeepAlive(busiest);
        return (perEntity, perCustomer, entities);
    }

    private static long HeapBytes()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return info.HeapSizeBytes - info.FragmentedBytes;
    }
}

/// <summary>What <see cref="EngineBench"/> measured.</summary>
internal sealed record EngineBenchResult(
    long Events,
    double EventsPerSecond,
    double ReadP50Us,
    double ReadP99Us,
    double ReadMaxUs,
    double AllocatedBytesPerEvent,
    int Gen0Collections,
    double BytesPerEntity,
    double BytesPerCustomerState,
    int EntitiesInBusiestHour,
    long Accepted,
    long Duplicates,
    long Late);
