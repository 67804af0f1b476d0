using Amlfs.OfflineStore;

namespace Amlfs.Parquet.Training;

/// <summary>
/// Which labelled transactions a transaction training set holds: those whose time is in [<see cref="FromMs"/>,
/// <see cref="ToMs"/>), labelled by what was known before <see cref="CutoffMs"/> (<see cref="TrainingLabels"/>): the
/// dataset's labels, the store's label table and <see cref="ExtraLabels"/> (a labels file). Nulls: no bound.
/// </summary>
public sealed record TransactionRowSelection(long? FromMs = null, long? ToMs = null)
{
    /// <summary>Every labelled transaction of the store, with every label known.</summary>
    public static TransactionRowSelection All { get; } = new();

    /// <summary>
    /// The cut-off: only labels known before it count. Training sets it to the end of its window; an evaluation of a
    /// past period may use every label known since (null).
    /// </summary>
    public long? CutoffMs { get; init; }

    /// <summary>Label rows besides the store's own (a labels file given to the command).</summary>
    public IReadOnlyList<LabelRecord> ExtraLabels { get; init; } = [];
}
