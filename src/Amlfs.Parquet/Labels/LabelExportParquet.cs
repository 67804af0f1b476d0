using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Labels;

/// <summary>
/// Writes exported labels (<see cref="ExportedLabel"/>) as one Parquet file for other tools: <c>transaction_id</c>,
/// <c>customer_id</c> (nullable), <c>label</c>, <c>typology</c>, <c>known_at</c> (UTC, milliseconds), <c>source</c>,
/// <c>case_id</c> (nullable).
/// </summary>
public static class LabelExportParquet
{
    private static readonly DataField TransactionId = new DataField<string>("transaction_id", false);
    private static readonly DataField CustomerId = new DataField<string>("customer_id", true);
    private static readonly DataField Label = new DataField<bool>("label", false);
    private static readonly DataField Typology = new DataField<string>("typology", false);
    private static readonly DataField KnownAt = new DateTimeDataField(
        "known_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField Source = new DataField<string>("source", false);
    private static readonly DataField CaseId = new DataField<string>("case_id", true);
    private static readonly ParquetSchema Schema = new(TransactionId, CustomerId, Label, Typology, KnownAt, Source, CaseId);

    /// <summary>Writes <paramref name="labels"/> to <paramref name="path"/>, replacing it whole (written aside, then renamed).</summary>
    public static Task WriteAsync(string path, IReadOnlyList<ExportedLabel> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return TransactionParquetWriter.WriteFileAsync(path, async stream =>
        {
            await using var writer = await ParquetWriter.CreateAsync(Schema, stream, TransactionParquetWriter.WriteOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(TransactionId, new ArraySegment<string>(labels.Select(l => l.TransactionId).ToArray())).ConfigureAwait(false);
            await group.WriteAsync(CustomerId, new ArraySegment<string?>(labels.Select(l => l.CustomerId).ToArray())).ConfigureAwait(false);
            await group.WriteAsync<bool>(Label, labels.Select(l => l.Label).ToArray().AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(Typology, new ArraySegment<string>(labels.Select(l => l.Typology).ToArray())).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(KnownAt, labels.Select(l => DateTime.UnixEpoch.AddMilliseconds(l.KnownAtMs)).ToArray().AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(Source, new ArraySegment<string>(labels.Select(l => l.Source).ToArray())).ConfigureAwait(false);
            await group.WriteAsync(CaseId, new ArraySegment<string?>(labels.Select(l => l.CaseId).ToArray())).ConfigureAwait(false);
            group.CompleteValidate();
        });
    }
}
