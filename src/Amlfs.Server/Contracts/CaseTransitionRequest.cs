namespace Amlfs.Server.Contracts;

/// <summary>The body of <c>POST /cases/{id}/transitions</c>.</summary>
public sealed record CaseTransitionRequest
{
    /// <summary>investigating or closed.</summary>
    public string? To { get; init; }

    /// <summary>Required to close: laundering_confirmed, false_positive or inconclusive.</summary>
    public string? Disposition { get; init; }

    /// <summary>An optional note, kept with the case's notes.</summary>
    public string? Note { get; init; }
}
