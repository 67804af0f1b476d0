namespace Amlfs.Learning.Drift;

/// <summary>One model input's population stability index over the sliding day.</summary>
public sealed record InputDrift(string Input, double Psi)
{
    public DriftBand Band => PopulationStabilityIndex.Band(Psi);
}
