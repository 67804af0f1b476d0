namespace Amlfs.Server.Dashboard;

/// <summary>
/// What the live stream sends each second, serialized once for every client: the second's sample, the totals, the
/// health of each component (checked every few seconds), and the model that decides.
/// </summary>
internal sealed record OverviewUpdate(
    OverviewSample Sample, OverviewTotals Totals, IReadOnlyDictionary<string, string> Health, string ModelVersion);
