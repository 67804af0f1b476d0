namespace Amlfs.Learning.Drift;

/// <summary>The usual reading of a population stability index (<see cref="PopulationStabilityIndex.Band"/>).</summary>
public enum DriftBand
{
    /// <summary>Below 0.1: no meaningful shift.</summary>
    Stable,

    /// <summary>From 0.1 to 0.2: a moderate shift, worth watching.</summary>
    Moderate,

    /// <summary>Above 0.2: a significant shift; the model sees data unlike its training data.</summary>
    Significant,
}
