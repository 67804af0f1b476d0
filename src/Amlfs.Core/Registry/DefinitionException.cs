namespace Amlfs.Registry;

/// <summary>Definitions that cannot be used, with every problem found.</summary>
public sealed class DefinitionException(IReadOnlyList<DefinitionError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;
}
