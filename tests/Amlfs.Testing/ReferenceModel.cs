using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Registry.Expressions;
using Amlfs.Transactions;

namespace Amlfs.Testing;

/// <summary>
/// The brute-force reference of the semantic contract: it keeps every accepted transaction and evaluates a feature
/// by scanning all of the entity's events, converting each event time to local time directly, and counting distinct
/// values as strings. It shares only <see cref="AggregateMath"/> (the one function that turns exact aggregates into
/// values) and the expression parser with the engine; the admission rules and every window are written again here.
/// An entity's events are the transactions naming it in its join key (outflows) and, for an entity with inflows, the
/// transfers to an account of its id (inflows); the counterparty is the other end's id, spelled with its kind.
/// </summary>
public sealed class ReferenceModel(RegistryDefinition definition, long? clockMs)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZoneId);
    private readonly List<Transaction> _accepted = [];
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private long? _watermark;

    public IReadOnlyList<Transaction> Accepted => _accepted;

    public IngestStatus Ingest(Transaction t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (clockMs is { } now && t.TimestampMs > now + definition.MaxClockSkewMs)
            return IngestStatus.FutureTimestamp;
        if (_ids.TryGetValue(t.TransactionId, out var seen) && (_watermark is not { } wm || seen >= wm - definition.DedupRetentionMs))
            return IngestStatus.Duplicate;
        if (_watermark is { } w && t.TimestampMs < w - definition.AllowedLatenessMs)
            return IngestStatus.Late;
        _ids[t.TransactionId] = t.TimestampMs;
        _accepted.Add(t);
        _watermark = Math.Max(_watermark ?? long.MinValue, t.TimestampMs);
        return IngestStatus.Accepted;
    }

    /// <summary>Every stored feature of the entity as of q, in declaration order.</summary>
    public double[] Features(string entity, string id, long q)
    {
        var features = definition.StoredFeatures.Where(f => f.Entity == entity).ToList();
        return features.Select(f => Feature(f, features, id, q)).ToArray();
    }

    private double Feature(FeatureDefinition f, List<FeatureDefinition> all, string id, long q) => f.Kind switch
    {
        FeatureKind.Aggregation => Aggregate(f.Entity, id, q, f.Aggregation, f.Field, f.WindowMs, f.HopMs, f.Filter),
        _ => Evaluate(ExpressionParser.Parse(f.Expression!), f.Entity, all, id, q),
    };

    private double Aggregate(string entity, string id, long q, AggregationKind kind, TransactionField? field,
        long windowMs, long hopMs, FeatureFilter filter)
    {
        var start = hopMs > 0 ? FloorTo(q - windowMs, hopMs) : q - windowMs;
        var definitionOf = definition.Entities.Single(e => e.Name == entity);
        var joinKey = definitionOf.JoinKey;
        var outflows = filter.Direction is EdgeDirection.Outflow or EdgeDirection.Both
            ? _accepted.Where(t => Field(t, joinKey) == id).Select(t => (T: t, Inflow: false))
            : [];
        var inflows = definitionOf.Inflows && filter.Direction is EdgeDirection.Inflow or EdgeDirection.Both
            ? _accepted.Where(t => t.DestinationType == DestinationType.Account && t.MerchantId == id).Select(t => (T: t, Inflow: true))
            : [];
        var conditions = filter.WithDirection(EdgeDirection.Both);
        var events = outflows.Concat(inflows)
            .Where(e => e.T.TimestampMs >= start && e.T.TimestampMs < q)
            .Where(e =>
            {
                var local = TimeZoneInfo.ConvertTime(e.T.Timestamp, _zone);
                return conditions.Matches(local.Hour, local.DayOfWeek, e.T.AmountCents, e.Inflow);
            })
            .ToList();
        if (events.Count == 0)
            return 0;
        var amounts = events.Select(e => e.T.AmountCents).ToList();
        var sumOfSquares = amounts.Aggregate(Int128.Zero, (s, a) => s + (Int128)a * a);
        long distinct = kind == AggregationKind.DistinctCount
            ? events.Select(e => field == TransactionField.CounterpartyId ? Counterparty(e.T, joinKey, e.Inflow) : Field(e.T, field!.Value))
                .Where(v => v is not null).Distinct(StringComparer.Ordinal).Count()
            : 0;
        return AggregateMath.Value(kind, events.Count, amounts.Sum(), sumOfSquares, amounts.Min(), amounts.Max(),
            events.Min(e => e.T.TimestampMs), events.Max(e => e.T.TimestampMs), distinct);
    }

    /// <summary>The other end of the edge as the entity sees it, with its kind, so that a merchant and an account spelled alike differ.</summary>
    private static string Counterparty(Transaction t, TransactionField joinKey, bool inflow) =>
        inflow || joinKey == TransactionField.MerchantId ? "account " + t.CustomerId
        : t.DestinationType == DestinationType.Account ? "account " + t.MerchantId
        : "merchant " + t.MerchantId;

    private double Evaluate(ExpressionSyntax syntax, string entity, List<FeatureDefinition> all, string id, long q)
    {
        switch (syntax)
        {
            case NumberSyntax n:
                return n.Value;
            case NameSyntax { Name: "now" }:
                return q;
            case NameSyntax n:
                return Feature(all.Single(f => f.Name == n.Name), all, id, q);
            case UnarySyntax u:
                return -Evaluate(u.Operand, entity, all, id, q);
            case BinarySyntax b:
                {
                    var x = Evaluate(b.Left, entity, all, id, q);
                    var y = Evaluate(b.Right, entity, all, id, q);
                    var r = b.Operator switch
                    {
                        '+' => x + y,
                        '-' => x - y,
                        '*' => x * y,
                        _ => y == 0 ? 0 : x / y,
                    };
                    return double.IsFinite(r) ? r : 0;
                }

            case CallSyntax c when c.Arguments[^1] is NumberSyntax { IsDuration: true } window
                && AggregationNames.TryParse(c.Function) is { } kind:
                {
                    TransactionField? field = kind == AggregationKind.DistinctCount
                        ? FieldNames.TryParse(((NameSyntax)c.Arguments[0]).Name)
                        : kind is AggregationKind.Count or AggregationKind.FirstTime or AggregationKind.LastTime ? null : TransactionField.Amount;
                    var w = (long)window.Value;
                    return Aggregate(entity, id, q, kind, field, w, WindowRules.DefaultHopMs(w), FeatureFilter.None);
                }

            case CallSyntax c:
                {
                    var args = c.Arguments.Select(a => Evaluate(a, entity, all, id, q)).ToList();
                    return c.Function switch
                    {
                        "abs" => Math.Abs(args[0]),
                        "sqrt" => args[0] <= 0 ? 0 : Math.Sqrt(args[0]),
                        "max" => args.Skip(1).Aggregate(args[0], Math.Max),
                        _ => args.Skip(1).Aggregate(args[0], Math.Min),
                    };
                }

            default:
                throw new NotSupportedException(syntax.ToString());
        }
    }

    private static long FloorTo(long t, long step) => (long)Math.Floor((double)t / step) * step;

    private static string? Field(Transaction t, TransactionField field) => field switch
    {
        TransactionField.CustomerId => t.CustomerId,
        TransactionField.MerchantId => t.MerchantId,
        TransactionField.IpAddress => t.IpAddress,
        TransactionField.DeviceId => t.DeviceId,
        TransactionField.Country => t.Country,
        TransactionField.Channel => t.Channel,
        TransactionField.PaymentFormat => t.PaymentFormat,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}
