namespace Amlfs.Cases;

/// <summary>
/// One entry of the case log (<see cref="CaseLog"/>): something that happened to a case, by whom and when. A case's
/// state is the fold of its events in log order (<see cref="CaseBook"/>); nothing else is stored.
/// </summary>
/// <param name="Kind">What happened; it says which of the optional fields are set.</param>
/// <param name="CaseNumber">The case's number (its id is <see cref="CaseNames.Id"/> of it).</param>
/// <param name="AtMs">When, UTC milliseconds.</param>
/// <param name="Actor">Who: an analyst or key name, <c>anonymous</c>, or <c>system</c> for what alerts do.</param>
public sealed record CaseEvent(CaseEventKind Kind, long CaseNumber, long AtMs, string Actor)
{
    /// <summary><see cref="CaseEventKind.Opened"/>: the entity type (customer, merchant).</summary>
    public string EntityType { get; init; } = "";

    /// <summary><see cref="CaseEventKind.Opened"/>: the entity's id.</summary>
    public string EntityId { get; init; } = "";

    /// <summary><see cref="CaseEventKind.AlertJoined"/>: the alert and its decision.</summary>
    public CaseAlert? Alert { get; init; }

    /// <summary><see cref="CaseEventKind.Assigned"/>: the assignee, empty for none.</summary>
    public string Assignee { get; init; } = "";

    /// <summary><see cref="CaseEventKind.Transitioned"/>: the new status.</summary>
    public CaseStatus To { get; init; }

    /// <summary><see cref="CaseEventKind.Transitioned"/> to closed: the disposition.</summary>
    public CaseDisposition? Disposition { get; init; }

    /// <summary><see cref="CaseEventKind.Noted"/>: the note; <see cref="CaseEventKind.Transitioned"/>: an optional reason, or empty.</summary>
    public string Text { get; init; } = "";
}
