namespace Amlfs.Audit;

/// <summary>
/// One record of the audit trail as it is stored (<see cref="AuditFormat"/>): its number in the chain, when, who did
/// what to what, the details, the hash of the record before it and its own hash.
/// </summary>
/// <param name="Sequence">1 for the first record of a data directory, then one more for each record.</param>
/// <param name="Time">When it was recorded, UTC, to the millisecond.</param>
/// <param name="Actor">Who acted: a key's name, an analyst, <c>cli:USER</c>, or <c>system</c>.</param>
/// <param name="Action">What was done: one of <see cref="AuditActions"/>.</param>
/// <param name="Subject">What it was done to: a model version, a registry version, an alert's rule and entity...</param>
/// <param name="Details">More about it, by name; a value may be null.</param>
/// <param name="Prev">The <see cref="Hash"/> of the record before (64 zeros for the first).</param>
/// <param name="Hash">The lowercase hex SHA-256 of the record's stored line without its hash field.</param>
public sealed record AuditRecord(
    long Sequence, DateTimeOffset Time, string Actor, string Action, string Subject, IReadOnlyDictionary<string, string?> Details,
    string Prev, string Hash);
