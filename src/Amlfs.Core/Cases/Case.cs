namespace Amlfs.Cases;

/// <summary>
/// An investigation of one entity (a customer or a merchant): the alerts about it that arrived while the case was not
/// closed, with their decisions, what analysts did, and how it ended. Immutable: each event makes a new one
/// (<see cref="Apply"/>), so a case handed out is a consistent view that later events do not change.
/// </summary>
/// <param name="Number">The case's number, from 1, in opening order; its id is <see cref="Id"/>.</param>
/// <param name="EntityType">The entity type the case is about: customer or merchant.</param>
/// <param name="EntityId">The entity's id.</param>
/// <param name="OpenedAtMs">When it was opened, UTC milliseconds: its age counts from here.</param>
public sealed record Case(long Number, string EntityType, string EntityId, long OpenedAtMs)
{
    /// <summary>The readable id, such as <c>CASE-000123</c>.</summary>
    public string Id => CaseNames.Id(Number);

    public CaseStatus Status { get; init; }

    /// <summary>Who the case is assigned to; null when nobody.</summary>
    public string? Assignee { get; init; }

    /// <summary>How it was closed; null while it is not.</summary>
    public CaseDisposition? Disposition { get; init; }

    /// <summary>When it was closed, UTC milliseconds: when its labels became known. Null while it is not closed.</summary>
    public long? ClosedAtMs { get; init; }

    /// <summary>When anything last happened to it, UTC milliseconds.</summary>
    public long UpdatedAtMs { get; init; }

    /// <summary>The highest score among its decisions: the queue's order.</summary>
    public double MaxScore { get; init; }

    /// <summary>Whether the labels of its decisions were written to the label table (once closed).</summary>
    public bool Labelled { get; init; }

    /// <summary>Its alerts with their decisions, in arrival order.</summary>
    public IReadOnlyList<CaseAlert> Alerts { get; init; } = [];

    /// <summary>Its notes, oldest first; a transition's note is one of them.</summary>
    public IReadOnlyList<CaseNote> Notes { get; init; } = [];

    /// <summary>Every event of the case, oldest first.</summary>
    public IReadOnlyList<CaseEvent> History { get; init; } = [];

    /// <summary>The case after <paramref name="e"/>, an event of this case other than its opening.</summary>
    public Case Apply(CaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var next = this with { UpdatedAtMs = Math.Max(UpdatedAtMs, e.AtMs), History = [.. History, e] };
        return e.Kind switch
        {
            CaseEventKind.AlertJoined => next with { Alerts = [.. Alerts, e.Alert!], MaxScore = Alerts.Count == 0 ? e.Alert!.Score : Math.Max(MaxScore, e.Alert!.Score) },
            CaseEventKind.Assigned => next with { Assignee = e.Assignee.Length == 0 ? null : e.Assignee },
            CaseEventKind.Transitioned => next with
            {
                Status = e.To,
                Disposition = e.To == CaseStatus.Closed ? e.Disposition : null,
                ClosedAtMs = e.To == CaseStatus.Closed ? e.AtMs : null,
                Notes = e.Text.Length == 0 ? Notes : [.. Notes, new CaseNote(e.Text, e.Actor, e.AtMs)],
            },
            CaseEventKind.Noted => next with { Notes = [.. Notes, new CaseNote(e.Text, e.Actor, e.AtMs)] },
            CaseEventKind.Labelled => next with { Labelled = true },
            _ => next,
        };
    }

    /// <summary>The case an <see cref="CaseEventKind.Opened"/> event starts.</summary>
    public static Case Opened(CaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Case(e.CaseNumber, e.EntityType, e.EntityId, e.AtMs) { Status = CaseStatus.Open, UpdatedAtMs = e.AtMs, History = [e] };
    }
}
