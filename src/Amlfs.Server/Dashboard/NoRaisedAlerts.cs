using Amlfs.Server.Dashboard.Contracts;

namespace Amlfs.Server.Dashboard;

/// <summary>The raised alerts of a process that runs no alert rules: none.</summary>
internal sealed class NoRaisedAlerts : IRaisedAlerts
{
    public bool Enabled => false;

    public int Held => 0;

    public long Newest => 0;

    public IReadOnlyList<RaisedAlertView> Find(Func<RaisedAlertView, bool> filter, int limit) => [];
}
