using Amlfs.Registry;

namespace Amlfs.Server.Observability;

/// <summary>
/// The values a feature can take by the definition of its aggregation, for the data quality counts of
/// <see cref="FeatureQuality"/>: amounts are positive (the validator refuses others), so counts, distinct counts,
/// sums, means, extremes, deviations, times and graph counts are never negative; shares, concentrations, the
/// clustering coefficient and <c>first_seen</c> lie in [0, 1]; the hour entropy in [0, log2 24]. A derived or request
/// expression and the amount trend (a slope, of either sign) have no range: only their missing values are counted.
/// </summary>
internal readonly record struct FeatureRange(double Min, double Max)
{
    /// <summary>Room for the rounding of a share or an entropy computed in floating point.</summary>
    private const double Tolerance = 1e-9;

    public static readonly FeatureRange Unbounded = new(double.NegativeInfinity, double.PositiveInfinity);

    private static readonly FeatureRange NonNegative = new(0, double.PositiveInfinity);
    private static readonly FeatureRange Share = new(0, 1);

    /// <summary>Whether the range excludes any value.</summary>
    public bool IsBounded => !double.IsNegativeInfinity(Min) || !double.IsPositiveInfinity(Max);

    /// <summary>Whether <paramref name="value"/> (not NaN) lies outside the range.</summary>
    public bool Excludes(double value) => value < Min - Tolerance || value > Max + Tolerance;

    /// <summary>The range of <paramref name="feature"/>'s values.</summary>
    public static FeatureRange Of(FeatureDefinition feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (!feature.IsAggregation)
            return Unbounded;
        return feature.Aggregation switch
        {
            AggregationKind.AmountTrend => Unbounded,
            AggregationKind.HourEntropy => new FeatureRange(0, Math.Log2(24)),
            AggregationKind.HourShare or AggregationKind.Concentration or AggregationKind.AmountConcentration
                or AggregationKind.ClusteringCoefficient or AggregationKind.OutlierShare or AggregationKind.FirstSeen => Share,
            _ => NonNegative,
        };
    }
}
