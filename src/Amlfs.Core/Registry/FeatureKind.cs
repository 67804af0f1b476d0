namespace Amlfs.Registry;

/// <summary>How a feature gets its value.</summary>
public enum FeatureKind
{
    /// <summary>An aggregation of the entity's events over a window.</summary>
    Aggregation,

    /// <summary>An expression over the entity's other features and inline aggregations, evaluated at read time.</summary>
    Derived,

    /// <summary>An expression that also reads the request being scored (<c>request.amount</c>).</summary>
    Request,
}
