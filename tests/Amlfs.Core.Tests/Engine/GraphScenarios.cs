using Amlfs.Registry;
using Amlfs.Testing;
using Amlfs.Transactions;
using CsCheck;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// Random graph definitions and random transfer streams for the graph searches' property tests: a handful of accounts
/// that pay each other densely (so that cycles, scatter-gathers and ego networks form, and small bounds are hit), some
/// payments to merchants (one spelled like an account), self-transfers, out-of-order events within and beyond the
/// lateness, duplicates, equal times and gaps that expire state; windows from a second to seven days, time zones.
/// </summary>
internal static class GraphScenarios
{
    public static readonly string[] Accounts = ["A1", "A2", "A3", "A4", "A5", "A6", "A7"];
    private static readonly string[] Merchants = ["M1", "A2"]; // the merchant "A2" is not the account "A2"
    private static readonly string[] Zones = ["UTC", "America/Sao_Paulo", "Asia/Kathmandu"];

    private static readonly Gen<long> GenWindow = Gen.Frequency(
        (3, Gen.OneOf(60_000L, 600_000L, 3_600_000L, 86_400_000L, 7 * 86_400_000L)),
        (2, Gen.Long[1_000, 7_200_000]));

    private static readonly Gen<FeatureDefinition> GenGraphFeature = Gen.Select(
        Gen.Enum<AggregationKind>().Where(AggregationNames.SearchesGraph), GenWindow,
        Gen.Int[2, 6], Gen.Frequency((2, Gen.Int[1, 4]), (1, Gen.Int[5, 50]), (1, Gen.Const(0))), Gen.Int[2, 6], Gen.Enum<EdgeDirection>(),
        (kind, window, hops, visits, neighbours, direction) => new FeatureDefinition
        {
            Name = "",
            Entity = "customer",
            View = "graph",
            Kind = FeatureKind.Aggregation,
            Aggregation = kind,
            WindowMs = window,
            Bounds = new GraphBounds(
                kind == AggregationKind.CycleCount ? hops : 0,
                kind is AggregationKind.CycleCount or AggregationKind.ScatterGather ? visits : 0,
                kind is AggregationKind.ClusteringCoefficient or AggregationKind.EgoBetweenness ? neighbours : 0),
            Filter = FeatureFilter.None.WithDirection(kind switch
            {
                AggregationKind.Degree => direction,
                AggregationKind.ScatterGather => direction == EdgeDirection.Both ? EdgeDirection.Outflow : direction,
                _ => EdgeDirection.Outflow,
            }),
        });

    private static readonly Gen<RegistryDefinition> GenDefinition = Gen.Select(
        GenGraphFeature.Array[1, 5], Gen.OneOf(Zones), Gen.OneOf(0L, 300_000L, 1_800_000L), Gen.OneOf(0L, 600_000L, 86_400_000L),
        (features, zone, lateness, history) => new RegistryDefinition
        {
            Project = "graph",
            TimeZoneId = zone,
            AllowedLatenessMs = lateness,
            QueryHistoryMs = history,
            Entities =
            [
                new EntityDefinition("customer", TransactionField.CustomerId, "", Inflows: true),
                new EntityDefinition("merchant", TransactionField.MerchantId, ""),
            ],
            Views =
            [
                new FeatureViewDefinition
                {
                    Name = "graph",
                    Entity = "customer",
                    Features =
                    [
                        .. features.Select((f, i) => f with { Name = $"g{i}" }),
                        new FeatureDefinition { Name = "sent_1h", Entity = "customer", View = "graph", Kind = FeatureKind.Aggregation, Aggregation = AggregationKind.Count, WindowMs = 3_600_000 },
                        new FeatureDefinition { Name = "g_plus", Entity = "customer", View = "graph", Kind = FeatureKind.Derived, Expression = "g0 + sent_1h" },
                    ],
                },
                new FeatureViewDefinition
                {
                    Name = "merchant_view",
                    Entity = "merchant",
                    Features = [new FeatureDefinition { Name = "received_1h", Entity = "merchant", View = "merchant_view", Kind = FeatureKind.Aggregation, Aggregation = AggregationKind.Count, WindowMs = 3_600_000 }],
                },
            ],
        });

    private static readonly Gen<long> GenOffset = Gen.Frequency(
        (8, Gen.Long[0, 120_000]),
        (2, Gen.Const(0L)),
        (2, Gen.Long[-400_000, -1]),
        (1, Gen.Long[-4_000_000, -400_000]),
        (1, Gen.Long[3_000_000, 2 * 86_400_000L]));

    /// <summary>One event: offset, source account, destination (accounts, then merchants), duplicate of, query after it.</summary>
    private static readonly Gen<(long Offset, int From, int To, int DuplicateOf, bool Query)> GenStep = Gen.Select(
        GenOffset, Gen.Int[0, Accounts.Length - 1], Gen.Int[0, Accounts.Length + Merchants.Length - 1],
        Gen.Frequency((12, Gen.Const(-1)), (1, Gen.Int[0, 400])), Gen.Frequency((8, Gen.Const(false)), (1, Gen.Const(true))));

    public static readonly Gen<(RegistryDefinition Definition, List<(Transaction Transaction, bool Query)> Stream, int Shards)> GenScenario =
        Gen.Select(GenDefinition, GenStep.Array[1, 150], Gen.Long[Tx.Utc(2025, 1, 1), Tx.Utc(2027, 1, 1)], Gen.Int[1, 3],
            (definition, steps, start, shards) => (definition, Stream(steps, start), shards));

    private static List<(Transaction, bool)> Stream((long Offset, int From, int To, int DuplicateOf, bool Query)[] steps, long start)
    {
        var stream = new List<(Transaction, bool)>();
        var newest = start;
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var time = Math.Max(0, newest + s.Offset);
            newest = Math.Max(newest, time);
            var transfer = s.To < Accounts.Length;
            stream.Add((new Transaction
            {
                TransactionId = s.DuplicateOf >= 0 && stream.Count > 0 ? stream[s.DuplicateOf % stream.Count].Item1.TransactionId : $"T{i}",
                CustomerId = Accounts[s.From],
                MerchantId = transfer ? Accounts[s.To] : Merchants[s.To - Accounts.Length],
                DestinationType = transfer ? DestinationType.Account : DestinationType.Merchant,
                AmountCents = 100_00 + i,
                TimestampMs = time,
            }, s.Query));
        }

        return stream;
    }

    /// <summary>Query times at and around every accepted event and window edge, within the readable history.</summary>
    public static List<long> QueryTimes(IReadOnlyList<Transaction> accepted, RegistryDefinition definition) =>
        EngineScenarios.QueryTimes(accepted, definition, null);
}
