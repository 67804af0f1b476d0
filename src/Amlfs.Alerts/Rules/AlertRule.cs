using Amlfs.Scoring;

namespace Amlfs.Alerts.Rules;

/// <summary>
/// One rule of an alerts file. The common settings apply to every kind; each kind reads only its own settings (the
/// reader refuses the others), and the defaults of the rest are never read.
/// </summary>
public sealed record AlertRule
{
    /// <summary>The rule's snake_case name, unique in its file; alerts and counters carry it.</summary>
    public required string Name { get; init; }

    public required AlertRuleKind Kind { get; init; }

    public AlertLevel Level { get; init; } = AlertLevel.Warning;

    public string Description { get; init; } = "";

    /// <summary>The channels its alerts are delivered to, by name; none: alerts are only recorded and counted.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>
    /// After an alert of this rule about a subject (an entity, a component, a feature), further alerts of the rule
    /// about the same subject within this window are counted as throttled instead of raised. Zero: no throttle.
    /// </summary>
    public TimeSpan Throttle { get; init; }

    /// <summary>A typology this rule watches for (free text such as <c>structuring</c>), carried by its alerts.</summary>
    public string? Typology { get; init; }

    /// <summary>System rules: how long the condition must hold, snapshot after snapshot, before the rule fires.</summary>
    public TimeSpan For { get; init; }

    /// <summary><see cref="AlertRuleKind.HighDecisionsPerEntity"/>: the entity counted by.</summary>
    public AlertEntity Entity { get; init; } = AlertEntity.Customer;

    /// <summary><see cref="AlertRuleKind.HighDecisionsPerEntity"/>: how many HIGH decisions, at least 2.</summary>
    public int Count { get; init; }

    /// <summary><see cref="AlertRuleKind.HighDecisionsPerEntity"/>: within how long, in event time.</summary>
    public TimeSpan Within { get; init; }

    /// <summary>
    /// <see cref="AlertRuleKind.FeatureAbove"/>: the feature read; <see cref="AlertRuleKind.PsiAbove"/>: the feature
    /// watched, <c>score</c> for the score, null for every feature and the score.
    /// </summary>
    public string? Feature { get; init; }

    /// <summary>
    /// The threshold the value must exceed: a feature's value, seconds for <c>predict_p99_above</c> and
    /// <c>engine_lag_above</c>, a share in [0, 1] for <c>rejected_share_above</c>, a PSI for <c>psi_above</c>.
    /// </summary>
    public double Threshold { get; init; }

    /// <summary><see cref="AlertRuleKind.FeatureAbove"/>: only decisions at this risk level or above are read.</summary>
    public RiskLevel MinLevel { get; init; } = RiskLevel.Low;

    /// <summary><see cref="AlertRuleKind.ComponentUnavailable"/>: the component watched; null for every component.</summary>
    public string? Component { get; init; }

    /// <summary><see cref="AlertRuleKind.RejectedShareAbove"/>: the window the share is taken over.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><see cref="AlertRuleKind.RejectedShareAbove"/>: the fewest transactions in the window for a share to count.</summary>
    public long MinEvents { get; init; } = 100;

    /// <summary>The rule's line in its file (0 when built in code).</summary>
    public int Line { get; init; }
}
