namespace Amlfs.Engine;

/// <summary>What ingest did with a transaction; <see cref="IngestStatusNames.WireName"/> spells it on the wire.</summary>
public enum IngestStatus
{
    /// <summary>Counted in every feature of its entities.</summary>
    Accepted,

    /// <summary>Its transaction id was already accepted within the dedup retention; counted once.</summary>
    Duplicate,

    /// <summary>Older than the source watermark minus the allowed lateness; rejected with reason <c>late</c>.</summary>
    Late,

    /// <summary>Later than the clock plus the allowed skew; rejected with reason <c>future_timestamp</c>.</summary>
    FutureTimestamp,

    /// <summary>
    /// Failed validation (a field missing or wrong, or not a transaction at all) and so never reached admission; the
    /// engine never returns it.
    /// </summary>
    Invalid,
}
