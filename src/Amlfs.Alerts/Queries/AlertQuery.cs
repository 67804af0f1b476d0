using Amlfs.Alerts.Rules;

namespace Amlfs.Alerts.Queries;

/// <summary>
/// A query of the recent alerts, newest first: every filter left null matches all. <see cref="BeforeSequence"/> pages:
/// pass the last sequence of one page to get the next.
/// </summary>
public sealed record AlertQuery
{
    public AlertLevel? Level { get; init; }

    public string? Rule { get; init; }

    public AlertRuleKind? Kind { get; init; }

    public string? ModelVersion { get; init; }

    /// <summary>Matches an alert whose rule's typology is this, or that has this feature among its signals.</summary>
    public string? Signal { get; init; }

    /// <summary>Matches an alert about this subject (a customer or merchant id, a component, a feature).</summary>
    public string? Subject { get; init; }

    /// <summary>Only alerts older than this sequence.</summary>
    public long? BeforeSequence { get; init; }

    /// <summary>At most this many alerts.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Whether <paramref name="alert"/> passes every filter of this query.</summary>
    public bool Matches(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return (Level is null || alert.Level == Level)
            && (Rule is null || alert.Rule == Rule)
            && (Kind is null || alert.Kind == Kind)
            && (ModelVersion is null || alert.ModelVersion == ModelVersion)
            && (Subject is null || alert.Subject == Subject)
            && (Signal is null || alert.Typology == Signal || alert.Signals.Contains(Signal))
            && (BeforeSequence is null || alert.Sequence < BeforeSequence);
    }
}
