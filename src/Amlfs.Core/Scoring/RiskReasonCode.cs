namespace Amlfs.Scoring;

/// <summary>Why a score is what it is: one business rule that fired, or none.</summary>
public enum RiskReasonCode
{
    /// <summary>No business rule fired; the score comes from the weighted features alone.</summary>
    NoRiskFactors,

    /// <summary>The request amount is above the high amount threshold.</summary>
    HighAmount,

    /// <summary>The request amount is above the elevated amount threshold (and not above the high one).</summary>
    ElevatedAmount,

    /// <summary>More distinct IP addresses in the last hour than allowed.</summary>
    MultipleIps,

    /// <summary>More transactions per minute in the last hour than allowed.</summary>
    HighVelocity,

    /// <summary>The standard deviation of amounts in the last hour is above its threshold.</summary>
    IrregularAmounts,

    /// <summary>More night transactions in the last 24 hours than allowed.</summary>
    NightActivity,
}
