namespace Amlfs.Alerts.Rules;

/// <summary>The YAML spelling of each <see cref="AlertRuleKind"/>, and which of them read decisions.</summary>
public static class AlertRuleKindNames
{
    private static readonly string[] Names =
    [
        "high_decision", "high_decisions_per_entity", "feature_above", "predict_p99_above", "engine_lag_above",
        "rejected_share_above", "component_unavailable", "psi_above",
    ];

    /// <summary>Every kind's name, in declaration order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The snake_case name of <paramref name="kind"/>.</summary>
    public static string Name(this AlertRuleKind kind) => Names[(int)kind];

    /// <summary>The kind named <paramref name="name"/>, or null.</summary>
    public static AlertRuleKind? Parse(string name)
    {
        var i = Array.IndexOf(Names, name);
        return i < 0 ? null : (AlertRuleKind)i;
    }

    /// <summary>Whether the kind reads decisions (the others read the system snapshot).</summary>
    public static bool ReadsDecisions(this AlertRuleKind kind) =>
        kind is AlertRuleKind.HighDecision or AlertRuleKind.HighDecisionsPerEntity or AlertRuleKind.FeatureAbove;
}
