namespace Amlfs.Learning.Anomaly;

/// <summary>How an <see cref="IsolationForest"/> is grown; the defaults are those of Liu, Ting and Zhou (2008).</summary>
public sealed record IsolationForestOptions
{
    /// <summary>The number of trees, t; 100 by default.</summary>
    public int TreeCount { get; init; } = 100;

    /// <summary>The rows drawn without replacement for each tree, psi; 256 by default, capped at the rows given.</summary>
    public int SubsampleSize { get; init; } = 256;

    /// <summary>The seed of the forest's random numbers: the same data, options and seed grow the same forest.</summary>
    public ulong Seed { get; init; }
}
