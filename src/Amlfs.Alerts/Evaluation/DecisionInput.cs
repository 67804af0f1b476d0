using Amlfs.Decisions;

namespace Amlfs.Alerts.Evaluation;

/// <summary>
/// A decision as the decision rules read it, with the feature vector it was scored from when the host has it. A
/// <c>feature_above</c> rule reads a feature from <see cref="Features"/> first, then from the decision's explanation
/// (<see cref="Decision.Contributions"/>, kept only for decisions that alert, and holding only the model's inputs).
/// A decision that has the feature in neither is not read by the rule: it neither fires nor counts as below.
/// </summary>
/// <param name="Decision">The decision.</param>
/// <param name="Features">The feature vector it was scored from, by feature name; null when the host does not pass it.</param>
public readonly record struct DecisionInput(Decision Decision, IReadOnlyDictionary<string, double>? Features = null)
{
    /// <summary>The value of feature <paramref name="name"/> for this decision, when this input has it.</summary>
    public bool TryGetFeature(string name, out double value)
    {
        if (Features is not null && Features.TryGetValue(name, out value))
            return true;
        if (Decision.Contributions is { } contributions)
        {
            foreach (var contribution in contributions)
            {
                if (contribution.Feature == name)
                {
                    value = contribution.Value;
                    return true;
                }
            }
        }

        value = 0;
        return false;
    }
}
