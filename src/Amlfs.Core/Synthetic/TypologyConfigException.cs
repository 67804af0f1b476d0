namespace Amlfs.Synthetic;

/// <summary>
/// A typologies file that cannot be used, with every problem found, each as <c>file:line: typology.key: reason</c>.
/// </summary>
public sealed class TypologyConfigException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
