namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>
/// One model input's population stability index between the model's training data and the sliding day of decisions,
/// and its usual reading: stable (below 0.1), moderate (0.1 to 0.2) or significant (above 0.2).
/// </summary>
internal sealed record FeatureDrift(string Feature, double Psi, string Band);
