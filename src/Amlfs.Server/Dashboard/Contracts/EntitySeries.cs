namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>An entity's features over the last hours, as of every step: columns for the charts.</summary>
internal sealed record EntitySeries
{
    public required string Entity { get; init; }

    public required string Id { get; init; }

    public required int StepSeconds { get; init; }

    /// <summary>The as-of instants, UTC milliseconds, oldest first.</summary>
    public required IReadOnlyList<long> T { get; init; }

    /// <summary>Each feature's value as of each instant, in <see cref="T"/>'s order.</summary>
    public required IReadOnlyDictionary<string, double[]> Features { get; init; }

    /// <summary>Why the series starts later than asked (the query history is shorter); null otherwise.</summary>
    public string? Note { get; init; }
}
