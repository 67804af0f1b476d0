namespace Amlfs.Server.Contracts;

/// <summary>The body of <c>POST /cases/{id}/notes</c>.</summary>
public sealed record CaseNoteRequest
{
    public string? Text { get; init; }
}
