namespace Amlfs.Server.Contracts;

/// <summary>One input of a learned model: its value for this transaction and its exact SHAP contribution (log-odds).</summary>
public sealed record FeatureContribution(string Feature, double Value, double Contribution);
