namespace Amlfs.Parquet.Labels;

/// <summary>
/// One row of <c>amlfs labels export</c>: a label of the label table, with the customer and the case it came from when
/// a case gave it.
/// </summary>
/// <param name="TransactionId">The labelled transaction.</param>
/// <param name="CustomerId">Its paying account, when the case log names it; null otherwise.</param>
/// <param name="Label">True for laundering, false for a confirmed normal transaction.</param>
/// <param name="Typology">The laundering pattern, or empty.</param>
/// <param name="KnownAtMs">When the label became known, UTC milliseconds.</param>
/// <param name="Source">The label row's source (<c>case:CASE-000123</c>, <c>dataset</c>, a file's name).</param>
/// <param name="CaseId">The case that gave it, or null.</param>
public sealed record ExportedLabel(string TransactionId, string? CustomerId, bool Label, string Typology, long KnownAtMs, string Source, string? CaseId);
