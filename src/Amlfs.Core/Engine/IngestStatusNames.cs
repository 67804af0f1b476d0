namespace Amlfs.Engine;

/// <summary>
/// The one place that spells an <see cref="IngestStatus"/> on the wire: in API responses, the dead-letter file, the
/// dead-letter topic's <c>amlfs-reason</c> header and the metrics' reason labels.
/// </summary>
public static class IngestStatusNames
{
    /// <summary>The snake_case name of <paramref name="status"/>: accepted, duplicate, late, future_timestamp or invalid.</summary>
    public static string WireName(this IngestStatus status) => status switch
    {
        IngestStatus.Accepted => "accepted",
        IngestStatus.Duplicate => "duplicate",
        IngestStatus.Late => "late",
        IngestStatus.FutureTimestamp => "future_timestamp",
        IngestStatus.Invalid => "invalid",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not an ingest status"),
    };
}
