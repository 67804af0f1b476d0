using System.Globalization;
using Amlfs.Alerts.Rules;

namespace Amlfs.Alerts.Evaluation;

/// <summary>
/// Runs the system rules over each snapshot. A condition holds for a subject (the signal, a component, a feature) while
/// snapshot after snapshot shows it; it fires once when it has held for the rule's <c>for:</c>, with the dedupe key
/// <c>rule:subject:since</c>, and not again until it has stopped holding and starts over. Not thread-safe: the engine
/// calls it under its lock.
/// </summary>
internal sealed class SystemEvaluator
{
    /// <summary>The subject of a PSI rule that watches the score rather than a feature.</summary>
    public const string ScoreSubject = "score";

    private readonly AlertRule[] _rules;
    private readonly Dictionary<(string Rule, string Subject), Episode> _episodes = [];
    private readonly List<(long AtMs, long Accepted, long Rejected)> _ingest = [];
    private readonly long _ingestHistoryMs;

    public SystemEvaluator(IEnumerable<AlertRule> rules)
    {
        _rules = rules.Where(r => !r.Kind.ReadsDecisions()).ToArray();
        _ingestHistoryMs = _rules.Where(r => r.Kind == AlertRuleKind.RejectedShareAbove)
            .Select(r => (long)r.Window.TotalMilliseconds).DefaultIfEmpty(0).Max();
    }

    public void Evaluate(SystemSnapshot snapshot, long nowMs, List<Alert> candidates)
    {
        RecordIngest(snapshot, nowMs);
        var holding = new HashSet<(string, string)>();
        foreach (var rule in _rules)
        {
            foreach (var (subject, value, holds) in Observe(rule, snapshot, nowMs))
            {
                if (!holds)
                    continue;
                var key = (rule.Name, subject);
                holding.Add(key);
                if (!_episodes.TryGetValue(key, out var episode))
                    _episodes[key] = episode = new Episode(nowMs);
                if (episode.Fired || nowMs - episode.SinceMs < (long)rule.For.TotalMilliseconds)
                    continue;
                episode.Fired = true;
                candidates.Add(Raise(rule, subject, value, episode.SinceMs, nowMs));
            }
        }

        foreach (var key in _episodes.Keys.Where(k => !holding.Contains(k)).ToList())
            _episodes.Remove(key);
    }

    private IEnumerable<(string Subject, double? Value, bool Holds)> Observe(AlertRule rule, SystemSnapshot s, long nowMs)
    {
        switch (rule.Kind)
        {
            case AlertRuleKind.PredictP99Above when s.PredictP99Seconds is { } p99:
                yield return ("predict", p99, p99 > rule.Threshold);
                break;
            case AlertRuleKind.EngineLagAbove when s.EngineLagSeconds is { } lag:
                yield return ("engine", lag, lag > rule.Threshold);
                break;
            case AlertRuleKind.RejectedShareAbove when RejectedShare(rule, nowMs) is { } share:
                yield return ("ingest", share, share > rule.Threshold);
                break;
            case AlertRuleKind.ComponentUnavailable:
                foreach (var (component, available) in s.Components)
                {
                    if (rule.Component is null || rule.Component == component)
                        yield return (component, null, !available);
                }

                break;
            case AlertRuleKind.PsiAbove:
                foreach (var (feature, psi) in s.FeaturePsi)
                {
                    if (rule.Feature is null || rule.Feature == feature)
                        yield return (feature, psi, psi > rule.Threshold);
                }

                if (s.ScorePsi is { } scorePsi && (rule.Feature is null || rule.Feature == ScoreSubject))
                    yield return (ScoreSubject, scorePsi, scorePsi > rule.Threshold);
                break;
        }
    }

    // Keeps the ingest counters of the snapshots of the longest window and a little more; a counter that went down
    // (the host restarted its counting) starts the history over.
    private void RecordIngest(SystemSnapshot s, long nowMs)
    {
        if (_ingestHistoryMs == 0 || s.IngestAccepted is not { } accepted || s.IngestRejected is not { } rejected)
            return;
        if (_ingest.Count > 0 && (accepted < _ingest[^1].Accepted || rejected < _ingest[^1].Rejected || nowMs < _ingest[^1].AtMs))
            _ingest.Clear();
        _ingest.Add((nowMs, accepted, rejected));
        // Keep one sample at least a window old: the baseline of the longest window.
        while (_ingest.Count > 1 && _ingest[1].AtMs <= nowMs - _ingestHistoryMs)
            _ingest.RemoveAt(0);
    }

    /// <summary>
    /// The share rejected since the newest snapshot at least the rule's window old: null until the history covers a
    /// whole window, or when fewer transactions than the rule's <c>min_events</c> came in during it.
    /// </summary>
    private double? RejectedShare(AlertRule rule, long nowMs)
    {
        var window = (long)rule.Window.TotalMilliseconds;
        var baseline = -1;
        for (var i = 0; i < _ingest.Count && _ingest[i].AtMs <= nowMs - window; i++)
            baseline = i;
        if (baseline < 0)
            return null;
        var (_, accepted, rejected) = _ingest[baseline];
        var (_, acceptedNow, rejectedNow) = _ingest[^1];
        var total = acceptedNow - accepted + rejectedNow - rejected;
        return total < rule.MinEvents ? null : (double)(rejectedNow - rejected) / total;
    }

    private static Alert Raise(AlertRule rule, string subject, double? value, long sinceMs, long nowMs) => new()
    {
        Sequence = 0,
        Rule = rule.Name,
        Kind = rule.Kind,
        Level = rule.Level,
        DedupeKey = Invariant($"{rule.Name}:{subject}:{sinceMs}"),
        Subject = subject,
        Summary = Summary(rule, subject, value, nowMs - sinceMs),
        RaisedAtMs = 0,
        Value = value,
        Threshold = rule.Kind == AlertRuleKind.ComponentUnavailable ? null : rule.Threshold,
        Typology = rule.Typology,
        Signals = rule.Kind == AlertRuleKind.PsiAbove ? [subject] : [],
    };

    private static string Summary(AlertRule rule, string subject, double? value, long heldMs)
    {
        var held = heldMs > 0 ? " for " + Durations.Format(heldMs) : "";
        var v = value ?? 0;
        return rule.Kind switch
        {
            AlertRuleKind.PredictP99Above => Invariant($"/predict p99 {v * 1000:0.#} ms above {rule.Threshold * 1000:0.#} ms{held}"),
            AlertRuleKind.EngineLagAbove => Invariant($"engine lag {v:0.#} s above {rule.Threshold:0.#} s{held}"),
            AlertRuleKind.RejectedShareAbove =>
                Invariant($"rejected share {v:0.##%} above {rule.Threshold:0.##%} over {Durations.Format(rule.Window)}{held}"),
            AlertRuleKind.ComponentUnavailable => Invariant($"{subject} unavailable{held}"),
            AlertRuleKind.PsiAbove => Invariant($"PSI of {subject} {v:0.###} above {rule.Threshold:0.###}{held}"),
            _ => rule.Name,
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Episode(long sinceMs)
    {
        public long SinceMs { get; } = sinceMs;

        public bool Fired { get; set; }
    }
}
