namespace Amlfs.Server.Dashboard;

/// <summary>The drift source until PSI is computed: never a report.</summary>
internal sealed class NoDriftSource : IDriftSource
{
    public DriftReport? Latest(string modelVersion) => null;
}
