namespace Amlfs.Cases;

/// <summary>What a <see cref="CaseEvent"/> records; the byte each is stored as is its value, never reused.</summary>
public enum CaseEventKind : byte
{
    /// <summary>An alert about an entity with no open case opened one.</summary>
    Opened = 1,

    /// <summary>An alert joined the case (the first alert of a case too, right after <see cref="Opened"/>).</summary>
    AlertJoined = 2,

    /// <summary>The case was assigned to someone (or unassigned: an empty assignee).</summary>
    Assigned = 3,

    /// <summary>The case moved to another status; to closed, with a disposition.</summary>
    Transitioned = 4,

    /// <summary>A note was added.</summary>
    Noted = 5,

    /// <summary>The labels of a closed case were written to the offline store's label table.</summary>
    Labelled = 6,
}
