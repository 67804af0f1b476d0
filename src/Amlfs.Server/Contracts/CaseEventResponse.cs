namespace Amlfs.Server.Contracts;

/// <summary>One step of a case's history: what happened (opened, alert_joined, assigned, transitioned, noted, labelled), when, by whom.</summary>
public sealed record CaseEventResponse
{
    public required string Kind { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Actor { get; init; }

    /// <summary>transitioned: the new status.</summary>
    public string? To { get; init; }

    public string? Disposition { get; init; }

    /// <summary>assigned: the assignee (empty: unassigned).</summary>
    public string? Assignee { get; init; }

    /// <summary>noted, or transitioned with a note: the text.</summary>
    public string? Text { get; init; }

    /// <summary>alert_joined: the alert's sequence.</summary>
    public long? AlertSequence { get; init; }
}
