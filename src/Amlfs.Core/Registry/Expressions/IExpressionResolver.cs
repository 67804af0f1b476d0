namespace Amlfs.Registry.Expressions;

/// <summary>Resolves the names and inline aggregations of an expression to value slots.</summary>
public interface IExpressionResolver
{
    /// <summary>The value slot of a feature of the same entity, or null when no such feature exists.</summary>
    int? ResolveFeature(string name, int column);

    /// <summary>The value slot of an inline aggregation such as <c>first_time(1h)</c>.</summary>
    int ResolveAggregate(AggregationKind kind, TransactionField? field, long windowMs, int column);
}
