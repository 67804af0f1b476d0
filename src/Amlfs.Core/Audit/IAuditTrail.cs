namespace Amlfs.Audit;

/// <summary>
/// Where what people and processes did is recorded for a regulator: who, when and what, each record chained to the one
/// before it by a hash (see <c>docs/audit.md</c>). Recording is durable before it returns; a failure throws, so that an
/// action whose record could not be kept is reported rather than done unrecorded.
/// </summary>
public interface IAuditTrail
{
    /// <summary>
    /// Appends one record: <paramref name="actor"/> (a key's name, an analyst, <c>cli:USER</c>, or <c>system</c>) did
    /// <paramref name="action"/> (one of <see cref="AuditActions"/>) to <paramref name="subject"/> (what it acted on: a
    /// case id, a model version, a key's name...), with <paramref name="details"/>.
    /// </summary>
    void Record(string actor, string action, string subject, IReadOnlyDictionary<string, string?>? details = null);
}

/// <summary>The actions the audit trail records, as they are written.</summary>
public static class AuditActions
{
    public const string AlertRaised = "alert.raised";
    public const string CaseOpened = "case.opened";
    public const string CaseTransitioned = "case.transitioned";
    public const string CaseAssigned = "case.assigned";
    public const string CaseNoted = "case.noted";
    public const string ModelActivated = "model.activated";
    public const string ModelRolledBack = "model.rolled_back";
    public const string DefinitionsApplied = "definitions.applied";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string RetentionSwept = "retention.swept";
    public const string PersonalDataExported = "personal_data.exported";
}
