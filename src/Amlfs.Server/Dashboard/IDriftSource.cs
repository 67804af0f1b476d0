namespace Amlfs.Server.Dashboard;

/// <summary>
/// Where the model page's drift comes from. Nothing computes PSI yet: the registered source (<see cref="NoDriftSource"/>)
/// returns null and the page says "not computed yet". A source that computes it is registered in its place, and the
/// page shows its figures as they are.
/// </summary>
internal interface IDriftSource
{
    /// <summary>The newest drift report of <paramref name="modelVersion"/>, or null when none was computed.</summary>
    DriftReport? Latest(string modelVersion);
}
