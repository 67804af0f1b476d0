namespace Amlfs.Scoring;

/// <summary>
/// The level of a risk score: <c>Low &lt; medium threshold &lt;= Medium &lt; high threshold &lt;= High</c>
/// (0.3 and 0.6 by default, so a score of exactly 0.3 is Medium).
/// </summary>
public enum RiskLevel
{
    Low,
    Medium,
    High,
}
