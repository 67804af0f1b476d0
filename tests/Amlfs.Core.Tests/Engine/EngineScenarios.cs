using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;
using Amlfs.Transactions;
using CsCheck;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// Random definitions and random streams for the engine's property tests: out of order within and beyond the
/// lateness, duplicates with the same or other content, equal timestamps, missing IPs, long gaps that expire state,
/// future events, transfers between accounts (the customer entity with or without inflows, features over outflows,
/// inflows or both, counterparties) and a merchant spelled like an account. Shared so that every property test
/// explores the same space.
/// </summary>
internal static class EngineScenarios
{
    private static readonly string[] Zones =
        ["America/Sao_Paulo", "UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"];

    public static readonly string[] Customers = ["C1", "C2", "C3"];
    public static readonly string[] Merchants = ["M1", "M2", "C3"]; // "C3" the merchant is not "C3" the account

    /// <summary>Every id an entity of the scenarios may have: a merchant entity also sees the accounts transfers reach.</summary>
    public static readonly string[] AllIds = [.. Customers.Union(Merchants)];
    private static readonly string?[] Ips = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "2001:db8::1", null];
    private static readonly string?[] Devices = ["D1", "D2", null];

    /// <summary>
    /// The ids to read an entity type at: every account and merchant for the ends of the edge, every IP or device for
    /// an entity joined on one, and an id no transaction names.
    /// </summary>
    public static string[] IdsOf(EntityPlan entity) => entity.JoinKey switch
    {
        TransactionField.IpAddress => [.. Ips.OfType<string>(), "10.9.9.9"],
        TransactionField.DeviceId => [.. Devices.OfType<string>(), "D9"],
        _ => AllIds,
    };

    private static readonly Gen<FeatureFilter> GenFilter = Gen.Frequency(
        (4, Gen.Const(FeatureFilter.None)),
        (1, Gen.Const(FeatureFilter.Night)),
        (1, Gen.Const(FeatureFilter.Weekend)),
        (1, Gen.Select(Gen.Int[0, 23], Gen.Int[1, 23], (from, span) => FeatureFilter.LocalHours(from, (from + span) % 24))),
        (1, Gen.Select(Gen.Long[0, 5_000_00], Gen.Long[1, 5_000_00], (min, width) => FeatureFilter.AmountRange(min, min + width))),
        (1, Gen.OneOf(100L, 100_00L, 1_000_00L).Select(FeatureFilter.MultipleOf)));

    /// <summary>Exact windows, mostly up to 1h, some up to 7d (hop: exact), with the lookback a new_distinct_count may add.</summary>
    private static readonly Gen<(long Window, long Lookback)> GenExactWindow = Gen.Select(
        Gen.Frequency(
            (3, Gen.OneOf(1_000L, 60_000L, 300_000L, 600_000L, 3_600_000L)),
            (2, Gen.Long[1, 3_600_000]),
            (1, Gen.OneOf(86_400_000L, 7 * 86_400_000L, 2 * 3_600_000L))),
        Gen.Long[1, 2 * 86_400_000L],
        (window, extra) => (window, Math.Min(7 * 86_400_000L, window + extra)));

    private static readonly Gen<(long Window, long Hop)> GenTiledWindow = Gen.Select(
        Gen.Frequency((2, Gen.OneOf(86_400_000L, 7 * 86_400_000L)), (1, Gen.Long[3_600_001, 7 * 86_400_000L]), (1, Gen.Const(30 * 86_400_000L))),
        Gen.OneOf(60_000L, 300_000L, 900_000L, 3_600_000L, 86_400_000L),
        (window, hop) => (window, Math.Min(hop, window)));

    /// <summary>Aggregations but the graph searches, which <see cref="GraphScenarios"/> generate with their bounds.</summary>
    private static readonly Gen<FeatureDefinition> GenAggregationShape = Gen.Select(
        Gen.Enum<AggregationKind>().Where(k => !AggregationNames.SearchesGraph(k)), Gen.Bool, GenExactWindow, GenTiledWindow, GenFilter,
        Gen.OneOf(TransactionField.IpAddress, TransactionField.MerchantId, TransactionField.CustomerId,
            TransactionField.DeviceId, TransactionField.CounterpartyId, TransactionField.Currency, TransactionField.PaymentFormat),
        Gen.Enum<EdgeDirection>(),
        (kind, tiled, exact, tile, filter, field, direction) =>
        {
            tiled &= !AggregationNames.ScansEvents(kind);
            var lookback = kind == AggregationKind.NewDistinctCount && exact.Window < exact.Lookback ? exact.Lookback : 0;
            if (kind == AggregationKind.NewDistinctCount && lookback == 0)
                kind = AggregationKind.DistinctCount; // a 7d window leaves no room for a lookback
            return new FeatureDefinition
            {
                Name = "",
                Entity = "",
                View = "",
                Kind = FeatureKind.Aggregation,
                Aggregation = kind,
                Field = kind switch
                {
                    _ when AggregationNames.CountsValues(kind) => field,
                    AggregationKind.Count or AggregationKind.FirstTime or AggregationKind.LastTime or AggregationKind.HourEntropy
                        or AggregationKind.HourShare or AggregationKind.IntervalCv => null,
                    _ => TransactionField.Amount,
                },
                WindowMs = tiled ? tile.Window : exact.Window,
                HopMs = tiled ? tile.Hop : 0,
                LookbackMs = lookback,
                Filter = filter.WithDirection(direction),
            };
        });

    private static readonly Gen<FeatureDefinition> GenAggregation = Gen.Select(GenAggregationShape, Gen.OneOf(0.5, 1.0, 1.5, 2.0, 3.0),
        (f, threshold) => f.Aggregation == AggregationKind.OutlierShare ? f with { ThresholdSd = threshold } : f);

    private static readonly string[] ExpressionTemplates =
    [
        "{0} / {1}",
        "max({0}, 1) - {1} * 2",
        "count(1h) / max(1, (now - first_time(1h)) / 1m)",
        "sqrt(abs({0} - {1}))",
        "distinct_count(ip_address, 30m) + sum(24h) - min({0}, {1})",
        "(now - last_time(10m)) / 1s",
        "stddev(2h) + avg(90s) * -1",
        "if({0} > {1}, log({0}), {1} >= 3)",
        "if(count(30d) == 0, 30d, now - last_time(30d)) / 1s + ({0} != {1}) - ({0} <= 2)",
    ];

    private static readonly Gen<RegistryDefinition> GenAccountDefinition = Gen.Select(
        GenAggregation.Array[1, 6], GenAggregation.Array[1, 4], Gen.Int[0, ExpressionTemplates.Length - 1].Array[0, 3],
        Gen.OneOf(Zones), Gen.OneOf(0L, 1_000L, 300_000L, 1_800_000L), Gen.OneOf(0L, 600_000L, 7_200_000L, 86_400_000L),
        Gen.Bool,
        (customer, merchant, derived, zone, lateness, history, inflows) =>
        {
            // Only an account with inflows may count them; a merchant counts what it receives.
            var customerFeatures = Named(customer, "customer", "c", inflows);
            var merchantFeatures = Named(merchant, "merchant", "m", inflows: false);
            customerFeatures.AddRange(derived.Select((template, i) => new FeatureDefinition
            {
                Name = $"d{i}",
                Entity = "customer",
                View = "customer_view",
                Kind = FeatureKind.Derived,
                Expression = string.Format(System.Globalization.CultureInfo.InvariantCulture, ExpressionTemplates[template],
                    customerFeatures[i % customer.Length].Name, customerFeatures[(i + 1) % customer.Length].Name),
            }));
            return new RegistryDefinition
            {
                Project = "property",
                TimeZoneId = zone,
                AllowedLatenessMs = lateness,
                QueryHistoryMs = history,
                Entities =
                [
                    new EntityDefinition("customer", TransactionField.CustomerId, "", inflows),
                    new EntityDefinition("merchant", TransactionField.MerchantId, ""),
                ],
                Views =
                [
                    new FeatureViewDefinition { Name = "customer_view", Entity = "customer", Features = customerFeatures },
                    new FeatureViewDefinition { Name = "merchant_view", Entity = "merchant", Features = merchantFeatures },
                ],
            };
        });

    /// <summary>
    /// The definitions of <see cref="GenAccountDefinition"/>, often with entity types joined on <c>ip_address</c> and
    /// <c>device_id</c> (accounts sharing an IP or a device): transactions without one must reach none.
    /// </summary>
    private static readonly Gen<RegistryDefinition> GenDefinition = Gen.Select(
        GenAccountDefinition, GenAggregation.Array[0, 3], GenAggregation.Array[0, 2],
        (definition, ip, device) =>
        {
            var entities = definition.Entities.ToList();
            var views = definition.Views.ToList();
            foreach (var (name, joinKey, features) in new[] { ("ip", TransactionField.IpAddress, ip), ("device", TransactionField.DeviceId, device) })
            {
                if (features.Length == 0)
                    continue;
                // The counterparty is defined at the ends of the edge; seen from an IP, the accounts are what counts.
                var named = Named(features, name, name, inflows: false)
                    .Select(f => f.Field == TransactionField.CounterpartyId ? f with { Field = TransactionField.CustomerId } : f)
                    .ToList();
                entities.Add(new EntityDefinition(name, joinKey, ""));
                views.Add(new FeatureViewDefinition { Name = name + "_view", Entity = name, Features = named });
            }

            return definition with { Entities = entities, Views = views };
        });

    private static readonly Gen<long> GenOffset = Gen.Frequency(
        (6, Gen.Long[0, 90_000]),                 // forward, often by little
        (2, Gen.Const(0L)),                       // equal timestamps
        (2, Gen.Long[-400_000, -1]),              // out of order: within or beyond the lateness
        (1, Gen.Long[-4_000_000, -400_000]),      // late
        (1, Gen.Long[3_000_000, 2 * 86_400_000L])); // long gap: windows empty, state expires

    private static readonly string[] Currencies = ["BRL", "USD", "EUR"];
    private static readonly string?[] PaymentFormats = [null, "pix", "card"];

    private static readonly Gen<EngineScenarioStep> GenStepShape = Gen.Select(
        GenOffset, Gen.Int[0, 2], Gen.Frequency((2, Gen.Int[0, 2]), (1, Gen.Int[3, 5])), Gen.Int[0, 4], Gen.Int[0, 2],
        Gen.Frequency((3, Gen.Long[1, 200_000_00]), (1, Gen.OneOf(1L, 100L, 999_999L, 1_000_000L, 100_00L, 5_000_00L))),
        Gen.Frequency((9, Gen.Const(-1)), (1, Gen.Int[0, 400])), Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true))),
        (offset, c, m, ip, d, cents, dup, query) => new EngineScenarioStep(offset, c, m, ip, d, cents, dup, query));

    private static readonly Gen<EngineScenarioStep> GenStep = Gen.Select(GenStepShape, Gen.Int[0, Currencies.Length * PaymentFormats.Length - 1],
        (step, labels) => step with { Labels = labels });

    public static readonly Gen<(RegistryDefinition Definition, EngineScenarioStep[] Steps, long Start, int Shards, double ClockAt)> GenScenario =
        Gen.Select(GenDefinition, GenStep.Array[1, 120], Gen.Long[Tx.Utc(2025, 1, 1), Tx.Utc(2027, 1, 1)], Gen.Int[1, 3],
            Gen.Double[0.5, 1.5]);

    public static int Iterations(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("AMLFS_PROPERTY_ITERATIONS"), out var n) ? n : fallback;

    private static List<FeatureDefinition> Named(FeatureDefinition[] features, string entity, string prefix, bool inflows) =>
        features.Select((f, i) => f with
        {
            Name = $"{prefix}{i}",
            Entity = entity,
            View = entity + "_view",
            Filter = inflows ? f.Filter : f.Filter.WithDirection(EdgeDirection.Outflow),
        }).ToList();

    public static List<(Transaction Transaction, bool Query)> BuildStream(EngineScenarioStep[] steps, long start)
    {
        var stream = new List<(Transaction, bool)>();
        var newest = start;
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var time = Math.Max(0, newest + s.OffsetMs);
            newest = Math.Max(newest, time);
            var id = s.DuplicateOf >= 0 && stream.Count > 0 ? stream[s.DuplicateOf % stream.Count].Item1.TransactionId : $"T{i}";
            stream.Add((new Transaction
            {
                TransactionId = id,
                CustomerId = Customers[s.Customer],
                MerchantId = s.Merchant < Merchants.Length ? Merchants[s.Merchant] : Customers[s.Merchant - Merchants.Length],
                DestinationType = s.Merchant < Merchants.Length ? DestinationType.Merchant : DestinationType.Account,
                AmountCents = s.Cents,
                TimestampMs = time,
                IpAddress = Ips[s.Ip],
                DeviceId = Devices[s.Device],
                Currency = Currencies[s.Labels % Currencies.Length],
                PaymentFormat = PaymentFormats[s.Labels / Currencies.Length],
            }, s.Query));
        }

        return stream;
    }

    /// <summary>
    /// Feeds a stream to the engine and to the reference alike, comparing every ingest decision: an inline engine one
    /// event at a time, a threaded one in batches of up to 7 cut at every query. After each query step,
    /// <paramref name="query"/> gets the step's transaction.
    /// </summary>
    public static void Feed(FeatureEngine engine, ReferenceModel reference, List<(Transaction Transaction, bool Query)> stream, bool threaded,
        Action<Transaction> query)
    {
        var batch = new List<Transaction>();
        var statuses = new IngestStatus[8];
        for (var position = 0; position < stream.Count; position++)
        {
            var (transaction, isQuery) = stream[position];
            batch.Add(transaction);
            if (threaded && !isQuery && batch.Count < 7 && position < stream.Count - 1)
                continue;
            engine.IngestBatch(batch.ToArray(), statuses);
            for (var i = 0; i < batch.Count; i++)
            {
                var expected = reference.Ingest(batch[i]);
                Assert.True(expected == statuses[i],
                    $"event {position - batch.Count + 1 + i} ({batch[i]}): reference {expected}, engine {statuses[i]}");
            }

            batch.Clear();
            if (isQuery)
                query(transaction);
        }
    }

    /// <summary>Fails naming the feature, its definition and both values unless <paramref name="actual"/> equals <paramref name="expected"/> to the bit.</summary>
    public static void AssertBitEqual(EntityPlan entity, string id, long q, RegistryDefinition definition,
        ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string expectedName, string actualName)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                var f = entity.Features[i];
                Assert.Fail($"{entity.Name} {id} at q={q}: feature {f.Name} ({f.Kind} {f.Aggregation} window {f.WindowMs} hop {f.HopMs} " +
                    $"filter '{f.Filter}' expr '{f.Expression}', zone {definition.TimeZoneId}, history {definition.QueryHistoryMs}): " +
                    $"{expectedName} {expected[i]:R}, {actualName} {actual[i]:R}");
            }
        }
    }

    /// <summary>Query times around every accepted event and every window edge, within the readable history.</summary>
    public static List<long> QueryTimes(IReadOnlyList<Transaction> accepted, RegistryDefinition definition, long? around)
    {
        var watermark = accepted.Count == 0 ? 0 : accepted.Max(t => t.TimestampMs);
        var earliest = watermark - definition.QueryHistoryMs;
        var windows = definition.StoredFeatures.Where(f => f.Kind == FeatureKind.Aggregation)
            .SelectMany(f => f.LookbackMs > 0 ? [f.WindowMs, f.LookbackMs] : new[] { f.WindowMs }).Append(3_600_000).Append(600_000).Distinct().ToList();
        var times = new SortedSet<long>();
        var events = around is { } a
            ? accepted.Where(t => Math.Abs(t.TimestampMs - a) < 3_600_000).Select(t => t.TimestampMs)
            : accepted.Select(t => t.TimestampMs);
        foreach (var t in events)
        {
            times.Add(t);
            times.Add(t + 1);
            foreach (var w in windows)
            {
                times.Add(t + w);
                times.Add(t + w + 1);
                times.Add(t + w - 1);
            }
        }

        times.Add(watermark + 1);
        return times.Where(q => q >= earliest).Take(300).ToList();
    }
}
