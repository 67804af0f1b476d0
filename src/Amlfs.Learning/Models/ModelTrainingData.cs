namespace Amlfs.Learning.Models;

/// <summary>What a model was trained from.</summary>
/// <param name="Sources">The offline store's files and any labels file, as the command was given them.</param>
/// <param name="HistoryTransactions">Transactions of the store replayed (labelled or not).</param>
/// <param name="LabelRowsUsed">Rows of the label table and labels file that labelled a transaction.</param>
/// <param name="LabelRowsAfterCutoff">Rows of the label table and labels file known after the cut-off, left out.</param>
/// <param name="Train">Rows and positives of the training period.</param>
/// <param name="Validation">Rows and positives of the validation period.</param>
/// <param name="Test">Rows and positives of the test period.</param>
public sealed record ModelTrainingData(
    IReadOnlyList<string> Sources, long HistoryTransactions, long LabelRowsUsed, long LabelRowsAfterCutoff,
    ModelRowCount Train, ModelRowCount Validation, ModelRowCount Test);
