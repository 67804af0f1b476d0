using System.Globalization;
using Amlfs.Alerts.Rules;
using Amlfs.Decisions;
using Amlfs.Scoring;

namespace Amlfs.Alerts.Evaluation;

/// <summary>
/// Runs the decision rules over decisions in log order and proposes the alerts they raise (the engine then dedupes
/// and throttles them). Not thread-safe: the engine calls it under its lock.
/// </summary>
internal sealed class DecisionEvaluator
{
    private readonly AlertRule[] _rules;
    private readonly Dictionary<string, HighDecisionRuns> _runs = new(StringComparer.Ordinal);

    public DecisionEvaluator(IEnumerable<AlertRule> rules, TimeSpan allowedLateness)
    {
        _rules = rules.Where(r => r.Kind.ReadsDecisions()).ToArray();
        foreach (var rule in _rules.Where(r => r.Kind == AlertRuleKind.HighDecisionsPerEntity))
            _runs[rule.Name] = new HighDecisionRuns(rule.Count, (long)rule.Within.TotalMilliseconds, (long)allowedLateness.TotalMilliseconds);
    }

    /// <summary>The per-entity state of a <c>high_decisions_per_entity</c> rule (for tests of its memory bound).</summary>
    public HighDecisionRuns Runs(string rule) => _runs[rule];

    public void Evaluate(in DecisionInput input, List<Alert> candidates)
    {
        var d = input.Decision;
        foreach (var rule in _rules)
        {
            switch (rule.Kind)
            {
                case AlertRuleKind.HighDecision when d.Level == RiskLevel.High:
                    candidates.Add(FromDecision(rule, d, d.TransactionId, d.CustomerId, AlertEntity.Customer) with
                    {
                        Summary = Invariant($"HIGH decision for customer {d.CustomerId}: transaction {d.TransactionId}, score {d.Score:0.###}, model {d.ModelVersion}"),
                        Value = d.Score,
                    });
                    break;
                case AlertRuleKind.HighDecisionsPerEntity when d.Level == RiskLevel.High:
                    var entity = rule.Entity == AlertEntity.Customer ? d.CustomerId : d.MerchantId;
                    if (_runs[rule.Name].Add(entity, d.EventTimeMs) is { } run)
                    {
                        var noun = rule.Entity == AlertEntity.Customer ? "customer" : "merchant";
                        candidates.Add(FromDecision(rule, d, Invariant($"{entity}:{run.FirstMs}"), entity, rule.Entity) with
                        {
                            Summary = Invariant($"{run.Count} HIGH decisions of {noun} {entity} within {Durations.Format(rule.Within)} (the latest: transaction {d.TransactionId})"),
                            Value = run.Count,
                            Threshold = rule.Count,
                        });
                    }

                    break;
                case AlertRuleKind.FeatureAbove when d.Level >= rule.MinLevel:
                    if (input.TryGetFeature(rule.Feature!, out var value) && value > rule.Threshold)
                    {
                        candidates.Add(FromDecision(rule, d, d.TransactionId, d.CustomerId, AlertEntity.Customer) with
                        {
                            Summary = Invariant($"{rule.Feature} = {value:0.####} above {rule.Threshold:0.####} for customer {d.CustomerId}: transaction {d.TransactionId}"),
                            Value = value,
                            Threshold = rule.Threshold,
                            Signals = [rule.Feature!],
                        });
                    }

                    break;
            }
        }
    }

    private static Alert FromDecision(AlertRule rule, Decision d, string keyPart, string subject, AlertEntity entity) => new()
    {
        Sequence = 0,
        Rule = rule.Name,
        Kind = rule.Kind,
        Level = rule.Level,
        DedupeKey = rule.Name + ":" + keyPart,
        Subject = subject,
        Entity = entity,
        Summary = "",
        RaisedAtMs = 0,
        TransactionId = d.TransactionId,
        CustomerId = d.CustomerId,
        MerchantId = d.MerchantId,
        EventTimeMs = d.EventTimeMs,
        ModelVersion = d.ModelVersion,
        RiskLevel = d.Level,
        Score = d.Score,
        Typology = rule.Typology,
        Signals = Signals(d),
    };

    /// <summary>The inputs that raised the score most: positive contributions, largest first, at most three.</summary>
    private static string[] Signals(Decision d) => d.Contributions is { } contributions
        ? contributions.Where(c => c.Contribution > 0).OrderByDescending(c => c.Contribution).Take(3).Select(c => c.Feature).ToArray()
        : [];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
