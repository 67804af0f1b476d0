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
public sealed partial class ReferenceModel(RegistryDefinition definition, long? clockMs)
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

    /// <summary>
    /// Every request feature of the entity as of q for <paramref name="request"/>, in declaration order. A null
    /// <paramref name="id"/> is an entity the request does not name (no IP): nothing to compare with the request, and
    /// every aggregation of it reads as of an entity without events.
    /// </summary>
    public double[] RequestFeatures(string entity, string? id, long q, Transaction request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stored = definition.StoredFeatures.Where(f => f.Entity == entity).ToList();
        var requested = definition.RequestFeatures.Where(f => f.Entity == entity).ToList();
        var context = new RequestContext(request, id is not null, requested);
        return requested.Select(f => f.IsAggregation
            ? Seen(f, id ?? "no entity", q, context)
            : Evaluate(ExpressionParser.Parse(f.Expression!), entity, stored, id ?? "no entity", q, context)).ToArray();
    }

    /// <summary>
    /// <c>first_seen</c> and <c>last_seen_time</c>: the entity's latest event in <c>[q - W, q)</c> that passes the
    /// filter and has the request's value of the field, found by scanning every accepted event.
    /// </summary>
    private double Seen(FeatureDefinition f, string id, long q, RequestContext context)
    {
        if (!context.Named)
            return 0;
        var joinKey = definition.Entities.Single(e => e.Name == f.Entity).JoinKey;
        var value = f.Field == TransactionField.CounterpartyId ? Counterparty(context.Request, joinKey, inflow: false) : Field(context.Request, f.Field!.Value);
        if (value is null)
            return 0;
        var times = Events(f.Entity, id, q - f.WindowMs, q, f.Filter)
            .Where(e => Value(e, f.Field!.Value, joinKey) == value)
            .Select(e => e.T.TimestampMs)
            .ToList();
        return f.Aggregation == AggregationKind.FirstSeen ? (times.Count == 0 ? 1 : 0) : (times.Count == 0 ? 0 : times.Max());
    }

    /// <summary>What a request feature's expression reads besides the entity's features.</summary>
    private sealed record RequestContext(Transaction Request, bool Named, List<FeatureDefinition> RequestFeatures);

    private double Feature(FeatureDefinition f, List<FeatureDefinition> all, string id, long q) => f.Kind switch
    {
        FeatureKind.Aggregation when AggregationNames.SearchesGraph(f.Aggregation) => Graph(f, id, q),
        FeatureKind.Aggregation when AggregationNames.ScansEvents(f.Aggregation) && f.Aggregation != AggregationKind.DistinctCount =>
            Scan(f, id, q),
        FeatureKind.Aggregation => Aggregate(f.Entity, id, q, f.Aggregation, f.Field, f.WindowMs, f.HopMs, f.Filter),
        _ => Evaluate(ExpressionParser.Parse(f.Expression!), f.Entity, all, id, q, null),
    };

    private double Aggregate(string entity, string id, long q, AggregationKind kind, TransactionField? field,
        long windowMs, long hopMs, FeatureFilter filter)
    {
        var start = hopMs > 0 ? FloorTo(q - windowMs, hopMs) : q - windowMs;
        var events = Events(entity, id, start, q, filter);
        if (events.Count == 0)
            return 0;
        var joinKey = definition.Entities.Single(e => e.Name == entity).JoinKey;
        var amounts = events.Select(e => e.T.AmountCents).ToList();
        var sumOfSquares = amounts.Aggregate(Int128.Zero, (s, a) => s + (Int128)a * a);
        long distinct = kind == AggregationKind.DistinctCount
            ? events.Select(e => Value(e, field!.Value, joinKey)).Where(v => v is not null).Distinct(StringComparer.Ordinal).Count()
            : 0;
        return AggregateMath.Value(kind, events.Count, amounts.Sum(), sumOfSquares, amounts.Min(), amounts.Max(),
            events.Min(e => e.T.TimestampMs), events.Max(e => e.T.TimestampMs), distinct);
    }

    /// <summary>
    /// The aggregations over single events, from their definitions: hour histograms, gaps, least squares, shares by
    /// value and values new against a lookback, each over the entity's events in time order.
    /// </summary>
    private double Scan(FeatureDefinition f, string id, long q)
    {
        var joinKey = definition.Entities.Single(e => e.Name == f.Entity).JoinKey;
        var events = Events(f.Entity, id, q - f.WindowMs, q, f.Filter).OrderBy(e => e.T.TimestampMs).ToList();
        var hours = events.Select(e => TimeZoneInfo.ConvertTime(e.T.Timestamp, _zone).Hour).ToList();
        switch (f.Aggregation)
        {
            case AggregationKind.HourEntropy:
                return AggregateMath.Entropy(Enumerable.Range(0, 24).Select(h => (long)hours.Count(x => x == h)).ToArray());
            case AggregationKind.HourShare:
                var queryHour = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(q), _zone).Hour;
                return AggregateMath.Share(hours.Count(h => h == queryHour), hours.Count);
            case AggregationKind.IntervalCv:
                var gaps = events.Skip(1).Select((e, i) => e.T.TimestampMs - events[i].T.TimestampMs).ToList();
                return AggregateMath.CoefficientOfVariation(gaps.Count, gaps.Sum(), gaps.Aggregate(Int128.Zero, (s, g) => s + (Int128)g * g));
            case AggregationKind.AmountTrend:
                // Times relative to q: the slope does not depend on the origin, and the engine takes another.
                var t = events.Select(e => (Int128)(e.T.TimestampMs - q)).ToList();
                var a = events.Select(e => e.T.AmountCents).ToList();
                return AggregateMath.Slope(events.Count, t.Aggregate(Int128.Zero, (s, x) => s + x), t.Aggregate(Int128.Zero, (s, x) => s + x * x),
                    a.Sum(), t.Zip(a).Aggregate(Int128.Zero, (s, p) => s + p.First * p.Second));
            case AggregationKind.OutlierShare:
                var amounts = events.Select(e => e.T.AmountCents).ToList();
                var squares = amounts.Aggregate(Int128.Zero, (s, x) => s + (Int128)x * x);
                var outliers = amounts.Count(x => AggregateMath.IsOutlier(amounts.Count, amounts.Sum(), squares, x, f.ThresholdSd));
                return AggregateMath.Share(outliers, amounts.Count);
            case AggregationKind.Concentration:
            case AggregationKind.AmountConcentration:
                var byValue = events.Where(e => Value(e, f.Field!.Value, joinKey) is not null)
                    .GroupBy(e => Value(e, f.Field!.Value, joinKey), StringComparer.Ordinal)
                    .Select(g => f.Aggregation == AggregationKind.Concentration ? (Int128)g.Count() : g.Aggregate(Int128.Zero, (s, e) => s + e.T.AmountCents))
                    .ToList();
                return AggregateMath.Concentration(byValue.Aggregate(Int128.Zero, (s, x) => s + x * x), byValue.Aggregate(Int128.Zero, (s, x) => s + x));
            case AggregationKind.NewDistinctCount:
                var before = Events(f.Entity, id, q - f.LookbackMs, q - f.WindowMs, f.Filter)
                    .Select(e => Value(e, f.Field!.Value, joinKey)).Where(v => v is not null).ToHashSet(StringComparer.Ordinal);
                return events.Select(e => Value(e, f.Field!.Value, joinKey)).Where(v => v is not null && !before.Contains(v))
                    .Distinct(StringComparer.Ordinal).Count();
            default:
                throw new NotSupportedException(f.Aggregation.ToString());
        }
    }

    private static string? Value((Transaction T, bool Inflow) e, TransactionField field, TransactionField joinKey) =>
        field == TransactionField.CounterpartyId ? Counterparty(e.T, joinKey, e.Inflow) : Field(e.T, field);

    /// <summary>The entity's events (outflows, inflows by the filter's direction) in <c>[start, end)</c> that pass the filter.</summary>
    private List<(Transaction T, bool Inflow)> Events(string entity, string id, long start, long end, FeatureFilter filter)
    {
        var definitionOf = definition.Entities.Single(e => e.Name == entity);
        var joinKey = definitionOf.JoinKey;
        var outflows = filter.Direction is EdgeDirection.Outflow or EdgeDirection.Both
            ? _accepted.Where(t => Field(t, joinKey) == id).Select(t => (T: t, Inflow: false))
            : [];
        var inflows = definitionOf.Inflows && filter.Direction is EdgeDirection.Inflow or EdgeDirection.Both
            ? _accepted.Where(t => t.DestinationType == DestinationType.Account && t.MerchantId == id).Select(t => (T: t, Inflow: true))
            : [];
        var conditions = filter.WithDirection(EdgeDirection.Both);
        return outflows.Concat(inflows)
            .Where(e => e.T.TimestampMs >= start && e.T.TimestampMs < end)
            .Where(e =>
            {
                var local = TimeZoneInfo.ConvertTime(e.T.Timestamp, _zone);
                return conditions.Matches(local.Hour, local.DayOfWeek, e.T.AmountCents, e.Inflow);
            })
            .ToList();
    }

    /// <summary>The other end of the edge as the entity sees it, with its kind, so that a merchant and an account spelled alike differ.</summary>
    private static string Counterparty(Transaction t, TransactionField joinKey, bool inflow) =>
        inflow || joinKey == TransactionField.MerchantId ? "account " + t.CustomerId
        : t.DestinationType == DestinationType.Account ? "account " + t.MerchantId
        : "merchant " + t.MerchantId;

    private double Evaluate(ExpressionSyntax syntax, string entity, List<FeatureDefinition> all, string id, long q, RequestContext? request)
    {
        switch (syntax)
        {
            case NumberSyntax n:
                return n.Value;
            case NameSyntax { Name: "now" }:
                return q;
            case NameSyntax { Name: ExpressionBinder.RequestAmount } when request is not null:
                return (double)request.Request.Amount;
            case NameSyntax n when request?.RequestFeatures.FirstOrDefault(f => f.Name == n.Name && f.IsAggregation) is { } compared:
                return Seen(compared, id, q, request);
            case NameSyntax n:
                return Feature(all.Single(f => f.Name == n.Name), all, id, q);
            case UnarySyntax u:
                return -Evaluate(u.Operand, entity, all, id, q, request);
            case BinarySyntax b:
                {
                    var x = Evaluate(b.Left, entity, all, id, q, request);
                    var y = Evaluate(b.Right, entity, all, id, q, request);
                    var r = b.Operator switch
                    {
                        '+' => x + y,
                        '-' => x - y,
                        '*' => x * y,
                        '/' => y == 0 ? 0 : x / y,
                        '<' => x < y ? 1 : 0,
                        '>' => x > y ? 1 : 0,
                        ComparisonOperators.LessOrEqual => x <= y ? 1 : 0,
                        ComparisonOperators.GreaterOrEqual => x >= y ? 1 : 0,
                        ComparisonOperators.Equal => x == y ? 1 : 0,
                        _ => x != y ? 1 : 0,
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
                    var args = c.Arguments.Select(a => Evaluate(a, entity, all, id, q, request)).ToList();
                    return c.Function switch
                    {
                        "abs" => Math.Abs(args[0]),
                        "sqrt" => args[0] <= 0 ? 0 : Math.Sqrt(args[0]),
                        "log" => args[0] <= 0 ? 0 : Math.Log(args[0]),
                        "if" => args[0] != 0 ? args[1] : args[2],
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
        TransactionField.Currency => t.Currency,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}
