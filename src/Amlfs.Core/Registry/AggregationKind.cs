namespace Amlfs.Registry;

/// <summary>What an aggregation feature computes over the events of its window.</summary>
public enum AggregationKind
{
    /// <summary>Number of events.</summary>
    Count,

    /// <summary>Sum of amounts, exact in cents.</summary>
    Sum,

    /// <summary>Mean amount; 0 for an empty window.</summary>
    Avg,

    /// <summary>Smallest amount; 0 for an empty window.</summary>
    Min,

    /// <summary>Largest amount; 0 for an empty window.</summary>
    Max,

    /// <summary>Sample standard deviation of amounts; 0 below two events.</summary>
    StdDev,

    /// <summary>Exact number of distinct non-missing values of a field.</summary>
    DistinctCount,

    /// <summary>Time of the earliest event, in UTC milliseconds since the epoch; 0 for an empty window.</summary>
    FirstTime,

    /// <summary>Time of the latest event, in UTC milliseconds since the epoch; 0 for an empty window.</summary>
    LastTime,
}
