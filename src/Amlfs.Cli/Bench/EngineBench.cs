using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
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

    /// <summary>Transactions per ingest call, as a source that reads a log or a request array hands them over.</summary>
    private const int Batch = 1_024;

    public static EngineBenchResult Run(RegistryDefinition definition, IReadOnlyList<Transaction> stream, int shards,
        bool threaded, Action<string> progress)
    {
        var plan = FeaturePlan.Compile(definition);
        progress("measuring memory per entity over the busiest hour");
        var (bytesPerEntity, bytesPerCustomer, entities) = MeasureMemory(definition, plan, stream);
        var bytesPerBusyCustomer = MeasureBusyCustomers(definition, plan);
        progress("measuring what 30 days of first_seen memory cost an account");
        var firstSeen = MeasureFirstSeen(definition);

        var options = EngineOptions.From(definition) with
        {
            Threaded = threaded,
            ShardCount = shards,
            ExpectedTransactions = stream.Count * 2, // the dedup retention (7 d) spans at most two passes
        };

        using var engine = new FeatureEngine(plan, options);
        var first = stream as Transaction[] ?? [.. stream];
        // Steady state is the same workload again: the stream replayed whole weeks later with fresh ids, so every
        // entity meets traffic it has met before and calendar features see the same local hours and days. Two passes
        // warm up (entities reach the sizes their traffic needs; recycled arrays fill the shards' pools); the third
        // is measured.
        var statuses = new IngestStatus[Batch];
        progress($"pass 1 of 3 (warm-up): {first.Length:N0} events on {shards} shards");
        var (coldRate, _, _) = Ingest(engine, first, statuses);
        progress($"pass 2 of 3 (warm-up): the same stream {ShiftWeeks(first)} weeks later, read by another thread meanwhile");
        var customer = plan.Entity("customer")!;
        var ids = first.Select(t => t.CustomerId).Distinct().ToArray();
        var second = ShiftedCopy(first, 1);
        using var stopReading = new CancellationTokenSource();
        var reader = Task.Factory.StartNew(() => ReadWhileIngesting(engine, customer, ids, stopReading.Token),
            TaskCreationOptions.LongRunning);
        Ingest(engine, second, statuses);
        stopReading.Cancel();
        var (concurrentP50, concurrentP99) = reader.GetAwaiter().GetResult();
        progress($"pass 3 of 3 (measured): the same stream {2 * ShiftWeeks(first)} weeks later");
        var third = ShiftedCopy(first, 2);
        var (eventsPerSecond, allocated, collections) = Ingest(engine, third, statuses);
        var measured = third.Length;

        progress($"reading all features of a customer {Reads:N0} times");
        var (p50, p99, max) = MeasureReads(engine, customer, stream);
        IReadOnlyList<GraphSearchFigures> graph = [];
        if (customer.Features.Any(f => f.Kind == FeatureKind.Aggregation && AggregationNames.SearchesGraph(f.Aggregation)))
        {
            progress("timing the graph searches of accounts that take part in transfers");
            graph = GraphSearchBench.Run(engine, customer, stream);
        }

        return new EngineBenchResult(
            measured, eventsPerSecond, coldRate, p50, p99, max, concurrentP50, concurrentP99, (double)allocated / measured, collections,
            bytesPerEntity, bytesPerCustomer, bytesPerBusyCustomer, entities, engine.Accepted, engine.Duplicates, engine.Late, graph, firstSeen);
    }

    private static (double EventsPerSecond, long Allocated, int Collections) Ingest(
        FeatureEngine engine, Transaction[] events, IngestStatus[] statuses)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var collectionsBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < events.Length; i += Batch)
            engine.IngestBatch(events.AsSpan(i, Math.Min(Batch, events.Length - i)), statuses);
        engine.Flush();
        clock.Stop();
        return (events.Length / clock.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore,
            GC.CollectionCount(0) - collectionsBefore);
    }

    private static int ShiftWeeks(Transaction[] events)
    {
        const long Week = 7 * 86_400_000L;
        var span = events[^1].TimestampMs - events[0].TimestampMs;
        return (int)(span / Week) + 1;
    }

    private static Transaction[] ShiftedCopy(Transaction[] events, int pass)
    {
        var shift = pass * ShiftWeeks(events) * 7 * 86_400_000L;
        var suffix = string.Create(CultureInfo.InvariantCulture, $"~{pass}");
        return events.Select(t => t with { TransactionId = t.TransactionId + suffix, TimestampMs = t.TimestampMs + shift }).ToArray();
    }

    /// <summary>Reads all features of random customers as of the watermark until cancelled; latency percentiles.</summary>
    private static (double P50, double P99) ReadWhileIngesting(FeatureEngine engine, EntityPlan customer, string[] ids,
        CancellationToken stop)
    {
        var values = new double[customer.Features.Count];
        var latencies = new double[2_000_000];
        var random = new Random(7);
        var n = 0;
        while (!stop.IsCancellationRequested && n < latencies.Length)
        {
            if (engine.Watermark is not { } watermark)
                continue;
            var start = Stopwatch.GetTimestamp();
            try
            {
                engine.Read(customer, ids[random.Next(ids.Length)], watermark.ToUnixTimeMilliseconds() + 1, values);
            }
            catch (ArgumentOutOfRangeException)
            {
                // A new pass starts weeks later: the watermark read a moment ago fell out of the query history.
                continue;
            }

            latencies[n++] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        if (n == 0)
            return (0, 0);
        Array.Sort(latencies, 0, n);
        return (latencies[n / 2], latencies[(int)(n * 0.99)]);
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
        var busiest = BusiestHour(stream);
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

    /// <summary>
    /// State bytes per customer, counted array by array, when each of 10,000 customers makes 12 payments within one
    /// hour from two IPs to three of 2,000 merchants: a busy hour for one customer, more than the generated
    /// customers' typical hour. (Counted rather than read off the heap: the heap also holds arrays the shards keep
    /// for reuse, and merchants' state.)
    /// </summary>
    private static double MeasureBusyCustomers(RegistryDefinition definition, FeaturePlan plan)
    {
        const int Customers = 10_000;
        const int PerCustomer = 12;
        var start = new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var random = new Random(3);
        var options = EngineOptions.From(definition) with { Threaded = false, ShardCount = 1, ExpectedTransactions = Customers * PerCustomer };
        using var engine = new FeatureEngine(plan, options);
        for (var i = 0; i < Customers * PerCustomer; i++)
        {
            engine.Ingest(new Transaction
            {
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"BUSY{i}"),
                CustomerId = string.Create(CultureInfo.InvariantCulture, $"CUST_{i % Customers:D6}"),
                MerchantId = string.Create(CultureInfo.InvariantCulture, $"MERCH_{(i % Customers + random.Next(3)) % 2_000:D5}"),
                AmountCents = 1_000 + random.Next(100_000),
                TimestampMs = start + i * (3_600_000L / (Customers * PerCustomer)),
                IpAddress = string.Create(CultureInfo.InvariantCulture, $"10.{i % Customers / 256}.{i % Customers % 256}.{random.Next(2)}"),
            });
        }

        var customers = plan.Entity("customer")!;
        return (double)engine.EntityBytes(customers) / engine.EntityCount(customers);
    }

    /// <summary>
    /// The request features that are not aggregations compared with the request and read none, directly or through
    /// another request feature: what the definitions keep without such aggregations.
    /// </summary>
    private static FeatureDefinition[] WithoutRequestAggregations(IReadOnlyList<FeatureDefinition> requestFeatures)
    {
        var dropped = requestFeatures.Where(f => f.IsAggregation).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        while (requestFeatures.FirstOrDefault(f => !dropped.Contains(f.Name) && dropped.Any(d => Reads(f, d))) is { } reader)
            dropped.Add(reader.Name);
        return [.. requestFeatures.Where(f => !dropped.Contains(f.Name))];

        static bool Reads(FeatureDefinition feature, string name) =>
            feature.Expression is { } expression && Regex.IsMatch(expression, $@"\b{Regex.Escape(name)}\b");
    }

    /// <summary>
    /// What remembering 30 days of counterparties, IPs and devices costs an account (<c>first_seen</c> over 30 days):
    /// state bytes per customer after 30 days in which each of 2,000 customers pays 5 times a day to 10 counterparties,
    /// from 2 IPs and one device, with first_seen of the counterparty, the IP and the device over 30 days added to the
    /// definitions, against the same definitions without aggregations compared with the request. Counted array by
    /// array, as <see cref="MeasureBusyCustomers"/> does.
    /// </summary>
    private static FirstSeenCost MeasureFirstSeen(RegistryDefinition definition)
    {
        const int Customers = 2_000;
        const int Days = 30;
        const int PerDay = 5;
        const long Day = 86_400_000L;
        var start = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var without = definition with { RequestFeatures = WithoutRequestAggregations(definition.RequestFeatures) };
        var with = without with
        {
            RequestFeatures =
            [
                .. without.RequestFeatures,
                .. new[] { TransactionField.CounterpartyId, TransactionField.IpAddress, TransactionField.DeviceId }.Select(field => new FeatureDefinition
                {
                    Name = "bench_first_seen_" + FieldNames.Name(field),
                    Entity = "customer",
                    View = "request",
                    Kind = FeatureKind.Request,
                    Aggregation = AggregationKind.FirstSeen,
                    Field = field,
                    WindowMs = Days * Day,
                }),
            ],
        };

        double BytesPerCustomer(RegistryDefinition measured)
        {
            var plan = FeaturePlan.Compile(measured);
            var options = EngineOptions.From(measured) with { Threaded = false, ShardCount = 1, ExpectedTransactions = Customers * Days * PerDay };
            using var engine = new FeatureEngine(plan, options);
            var random = new Random(5);
            for (var i = 0; i < Customers * Days * PerDay; i++)
            {
                var c = i % Customers;
                engine.Ingest(new Transaction
                {
                    TransactionId = string.Create(CultureInfo.InvariantCulture, $"SEEN{i}"),
                    CustomerId = string.Create(CultureInfo.InvariantCulture, $"CUST_{c:D6}"),
                    MerchantId = string.Create(CultureInfo.InvariantCulture, $"MERCH_{(c * 7 + random.Next(10)) % 5_000:D5}"),
                    AmountCents = 1_000 + random.Next(100_000),
                    TimestampMs = start + i * (Day / (Customers * PerDay)),
                    IpAddress = string.Create(CultureInfo.InvariantCulture, $"10.{c / 256}.{c % 256}.{random.Next(2)}"),
                    DeviceId = string.Create(CultureInfo.InvariantCulture, $"DEV_{c:D6}"),
                });
            }

            var customers = plan.Entity("customer")!;
            return (double)engine.EntityBytes(customers) / engine.EntityCount(customers);
        }

        return new FirstSeenCost(BytesPerCustomer(with), BytesPerCustomer(without), Days * PerDay);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Transaction[] BusiestHour(IReadOnlyList<Transaction> stream)
    {
        const long Hour = 3_600_000;
        var counts = new Dictionary<long, int>();
        foreach (var t in stream)
            counts[t.TimestampMs / Hour] = counts.GetValueOrDefault(t.TimestampMs / Hour) + 1;
        var hour = counts.MaxBy(p => p.Value).Key;
        return stream.Where(t => t.TimestampMs / Hour == hour).ToArray();
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
    double ColdEventsPerSecond,
    double ReadP50Us,
    double ReadP99Us,
    double ReadMaxUs,
    double ConcurrentReadP50Us,
    double ConcurrentReadP99Us,
    double AllocatedBytesPerEvent,
    int Gen0Collections,
    double BytesPerEntity,
    double BytesPerCustomerState,
    double BytesPerBusyCustomer,
    int EntitiesInBusiestHour,
    long Accepted,
    long Duplicates,
    long Late,
    IReadOnlyList<GraphSearchFigures> GraphSearches,
    FirstSeenCost FirstSeen);

/// <summary>State bytes per customer with and without first_seen over 30 days, and the payments each customer made in them.</summary>
internal sealed record FirstSeenCost(double BytesWith, double BytesWithout, int Payments);
