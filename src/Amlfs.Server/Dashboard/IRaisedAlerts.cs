using Amlfs.Server.Dashboard.Contracts;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The alerts the process's alert rules raised, as the alerts page lists them. The alert rules' service registers the
/// source that reads them (in <c>Amlfs.Server.Alerting</c>, which depends on the dashboard, never the other way round);
/// where no alert rules run (an API replica) <see cref="NoRaisedAlerts"/> stands in and has none.
/// </summary>
internal interface IRaisedAlerts
{
    /// <summary>Whether alert rules run in this process.</summary>
    bool Enabled { get; }

    /// <summary>How many raised alerts the source holds: the newest, kept across restarts by the alerts' outbox.</summary>
    int Held { get; }

    /// <summary>The number of the newest alert raised (they are numbered from 1 in a data directory); 0 before any.</summary>
    long Newest { get; }

    /// <summary>The newest alerts that pass <paramref name="filter"/>, newest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<RaisedAlertView> Find(Func<RaisedAlertView, bool> filter, int limit);
}
