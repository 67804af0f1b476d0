namespace Amlfs.Server.Contracts;

/// <summary>
/// A case as the API answers it. In a list (<c>GET /cases</c>) the alerts, notes, history and allowed transitions are
/// left out; <c>GET /cases/{id}</c> and every step answer them all.
/// </summary>
public sealed record CaseResponse
{
    /// <summary>The readable id, such as <c>CASE-000123</c>.</summary>
    public required string Id { get; init; }

    /// <summary>open, investigating or closed.</summary>
    public required string Status { get; init; }

    public required string EntityType { get; init; }

    public required string EntityId { get; init; }

    public string? Assignee { get; init; }

    /// <summary>laundering_confirmed, false_positive or inconclusive, once closed.</summary>
    public string? Disposition { get; init; }

    /// <summary>The highest score among the case's decisions.</summary>
    public required double Score { get; init; }

    public required int AlertCount { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it closed: when its labels became known.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Seconds since it opened.</summary>
    public required double AgeSeconds { get; init; }

    /// <summary>Whether the labels of its decisions are in the label table (once closed).</summary>
    public bool? Labelled { get; init; }

    /// <summary>The statuses it may move to now.</summary>
    public IReadOnlyList<string>? AllowedTransitions { get; init; }

    public IReadOnlyList<CaseAlertResponse>? Alerts { get; init; }

    public IReadOnlyList<CaseNoteResponse>? Notes { get; init; }

    public IReadOnlyList<CaseEventResponse>? History { get; init; }
}
