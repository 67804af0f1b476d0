using Amlfs.Scoring;

namespace Amlfs.Server.Contracts;

/// <summary>
/// The names of the risk levels, as <see cref="PredictResponse.RiskLevel"/> and the <c>level</c> label of the metrics
/// give them; constants, so that a client can match on them.
/// </summary>
public static class RiskLevelNames
{
    /// <summary>A score below the medium threshold (0.3 by default).</summary>
    public const string Low = "LOW";

    /// <summary>A score from the medium threshold up to the high one (0.3 to 0.6 by default).</summary>
    public const string Medium = "MEDIUM";

    /// <summary>A score at or above the high threshold (0.6 by default).</summary>
    public const string High = "HIGH";

    /// <summary>The name of <paramref name="level"/>: LOW, MEDIUM or HIGH.</summary>
    public static string WireName(this RiskLevel level) => level switch
    {
        RiskLevel.Low => Low,
        RiskLevel.Medium => Medium,
        RiskLevel.High => High,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a risk level"),
    };
}
