namespace Amlfs.Decisions;

/// <summary>One input of a decision's explanation: the feature, its value and its contribution to the score.</summary>
/// <param name="Feature">The feature (model input) name.</param>
/// <param name="Value">Its value for the transaction.</param>
/// <param name="Contribution">Its contribution: a learned model's exact SHAP value (log-odds), a rule's weight.</param>
public sealed record DecisionContribution(string Feature, double Value, double Contribution);
