namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>The newest decisions that pass the filters, newest first, and the values the filters can take.</summary>
internal sealed record AlertsResponse
{
    public required bool Decides { get; init; }

    public required IReadOnlyList<DecisionSummary> Items { get; init; }

    /// <summary>The signals of the decisions held, for the signal filter.</summary>
    public required IReadOnlyList<string> Signals { get; init; }

    /// <summary>The model versions of the decisions held, for the model filter.</summary>
    public required IReadOnlyList<string> ModelVersions { get; init; }

    /// <summary>Decisions published so far; the list looks at the newest the process keeps.</summary>
    public required long Published { get; init; }
}
