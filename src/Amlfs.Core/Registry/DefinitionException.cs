namespace Amlfs.Registry;

/// <summary>Definitions that cannot be used, with every problem found.</summary>
public sealed class DefinitionException(IReadOnlyList<DefinitionError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;

    /// <summary>Errors as they read in the file, top to bottom (a stable sort); errors without a line come last.</summary>
    public static List<DefinitionError> InLineOrder(IEnumerable<DefinitionError> errors) =>
        errors.OrderBy(e => e.Line == 0 ? int.MaxValue : e.Line).ToList();
}
