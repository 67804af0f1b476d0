namespace Amlfs.Parquet.Training;

/// <summary>A labels file that cannot be used, with every problem as <c>file:line: field: reason</c>.</summary>
public sealed class LabelFileException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
