namespace Amlfs.Alerts.Rules;

/// <summary>
/// What a rule watches. The first three read decisions (<see cref="Evaluation.DecisionInput"/>); the others read the
/// system snapshot the host takes every second (<see cref="Evaluation.SystemSnapshot"/>). The YAML spelling of each is
/// its snake_case name, such as <c>high_decisions_per_entity</c>.
/// </summary>
public enum AlertRuleKind
{
    /// <summary>A HIGH decision.</summary>
    HighDecision,

    /// <summary>N HIGH decisions of one entity (customer or merchant) within a window of event time.</summary>
    HighDecisionsPerEntity,

    /// <summary>A named feature of a decision above a threshold.</summary>
    FeatureAbove,

    /// <summary>The p99 of <c>/predict</c> durations above a threshold.</summary>
    PredictP99Above,

    /// <summary>The engine's lag (wall clock minus its watermark) above a threshold.</summary>
    EngineLagAbove,

    /// <summary>The share of transactions rejected at ingest, over a window, above a threshold.</summary>
    RejectedShareAbove,

    /// <summary>A component (online store, Kafka, write-ahead log...) reported unavailable.</summary>
    ComponentUnavailable,

    /// <summary>The population stability index of a feature or of the score above a threshold.</summary>
    PsiAbove,
}
