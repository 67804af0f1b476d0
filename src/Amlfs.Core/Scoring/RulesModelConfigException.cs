namespace Amlfs.Scoring;

/// <summary>
/// Rules model settings that cannot be used, with every problem found. Each error names where the value came from (a
/// file and line, or an environment variable), the setting path and the reason.
/// </summary>
public sealed class RulesModelConfigException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
