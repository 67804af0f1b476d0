namespace Amlfs.Server.Contracts;

/// <summary>The body of <c>POST /cases/{id}/assignment</c>: the assignee's name, or null to unassign.</summary>
public sealed record CaseAssignmentRequest
{
    public string? Assignee { get; init; }
}
