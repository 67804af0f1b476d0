using Amlfs.OfflineStore;

namespace Amlfs.Parquet.Training;

/// <summary>
/// Which labelled transactions a transaction training set holds: those whose time is in [<see cref="FromMs"/>,
/// <see cref="ToMs"/>), labelled by what was known before the cut-off <see cref="ToMs"/> (<see cref="TrainingLabels"/>):
/// the dataset's labels, the store's label table and <see cref="ExtraLabels"/> (a labels file). Nulls: no bound.
/// </summary>
public sealed record TransactionRowSelection(long? FromMs = null, long? ToMs = null)
{
    /// <summary>Every labelled transaction of the store, with every label known.</summary>
    public static TransactionRowSelection All { get; } = new();

    /// <summary>Label rows besides the store's own (a labels file given to the command).</summary>
    public IReadOnlyList<LabelRecord> ExtraLabels { get; init; } = [];
}
