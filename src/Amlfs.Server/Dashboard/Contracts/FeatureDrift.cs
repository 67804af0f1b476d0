namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>One feature's population stability index between the model's training data and recent traffic.</summary>
internal sealed record FeatureDrift(string Feature, double Psi);
