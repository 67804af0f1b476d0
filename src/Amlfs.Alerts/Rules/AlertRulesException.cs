using Amlfs.Registry;

namespace Amlfs.Alerts.Rules;

/// <summary>An alerts file that cannot be used, with every problem found, each as <c>file:line: key: reason</c>.</summary>
public sealed class AlertRulesException(IReadOnlyList<DefinitionError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;
}
