namespace Amlfs.Registry.Expressions;

/// <summary>What an expression may read besides values: the as-of time and, for request features, the request.</summary>
/// <param name="NowMs">The as-of time <c>q</c> in UTC milliseconds since the epoch.</param>
/// <param name="RequestAmount">The amount of the request being scored, in currency units; null outside scoring.</param>
/// <param name="Request">
/// The fields of the request being scored, for the aggregations that compare the entity's events with it
/// (<c>first_seen</c>, <c>last_seen_time</c>); null outside scoring, where those read 0.
/// </param>
public readonly record struct ExpressionScope(double NowMs, double? RequestAmount, RequestFields? Request = null);
