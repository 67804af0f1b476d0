using Amlfs.OfflineStore;

namespace Amlfs.Cases;

/// <summary>
/// The labels a closed case gives its decisions (architecture rule 11): laundering confirmed labels each decided
/// transaction suspicious, with the typology its alert's rule watches for; a false positive labels each one normal;
/// inconclusive labels none. Each label became known when the case closed. A transaction two alerts of the case share
/// is labelled once.
/// </summary>
public static class CaseLabels
{
    /// <summary>The labels of <paramref name="closed"/>; none while it is not closed or when it closed inconclusive.</summary>
    public static IReadOnlyList<LabelRecord> Of(Case closed)
    {
        ArgumentNullException.ThrowIfNull(closed);
        if (closed is not { Status: CaseStatus.Closed, ClosedAtMs: { } knownAt, Disposition: { } disposition } || disposition == CaseDisposition.Inconclusive)
            return [];
        var suspicious = disposition == CaseDisposition.LaunderingConfirmed;
        var source = LabelSources.ForCase(closed.Id);
        return closed.Alerts
            .GroupBy(a => a.TransactionId, StringComparer.Ordinal)
            .Select(g => new LabelRecord(g.Key, suspicious,
                suspicious ? g.Select(a => a.Typology).FirstOrDefault(t => t.Length > 0) ?? Typologies.None : Typologies.None,
                knownAt, source))
            .ToArray();
    }
}
