namespace Amlfs.Server.Dashboard;

/// <summary>Counts since the process started, for the overview's counters; null where the process has no such signal.</summary>
internal sealed record OverviewTotals
{
    public long? Accepted { get; init; }

    public long? Duplicates { get; init; }

    /// <summary>Late, future-timestamped and invalid transactions together.</summary>
    public long? Rejected { get; init; }

    public long? Decisions { get; init; }

    /// <summary>HIGH decisions.</summary>
    public long? Alerts { get; init; }

    /// <summary>
    /// The number of the newest alert the alert rules raised (they are numbered from 1 in a data directory, so a page
    /// sees when a new one comes); null where no alert rules run.
    /// </summary>
    public long? RaisedAlerts { get; init; }

    public long PredictRequests { get; init; }

    public long? Entities { get; init; }
}
