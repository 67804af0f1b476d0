using Amlfs.OfflineStore;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Labels;

/// <summary>
/// The offline store's label table (<see cref="DatasetLayout.LabelsDirectory"/>): labels that became known after their
/// transactions were stored, one Parquet file per batch written, only ever added to. Columns:
/// <c>transaction_id</c>, <c>is_suspicious</c>, <c>typology</c>, <c>known_at</c> (UTC, milliseconds), <c>source</c>.
/// DuckDB reads it as <c>read_parquet('DIR/labels/*.parquet')</c>.
/// </summary>
public static class LabelTable
{
    private static readonly DataField TransactionId = new DataField<string>("transaction_id", false);
    private static readonly DataField IsSuspicious = new DataField<bool>("is_suspicious", false);
    private static readonly DataField Typology = new DataField<string>("typology", false);
    private static readonly DataField KnownAt = new DateTimeDataField(
        "known_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField Source = new DataField<string>("source", false);
    private static readonly ParquetSchema Schema = new(TransactionId, IsSuspicious, Typology, KnownAt, Source);

    /// <summary>Appends <paramref name="labels"/> as a new file; returns its path, or null when there are none.</summary>
    public static async Task<string?> AppendAsync(string root, IReadOnlyList<LabelRecord> labels, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(clock);
        if (labels.Count == 0)
            return null;
        var path = DatasetLayout.NewLabelFile(root, clock.GetUtcNow());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await TransactionParquetWriter.WriteFileAsync(path, async stream =>
        {
            await using var writer = await ParquetWriter.CreateAsync(Schema, stream, TransactionParquetWriter.WriteOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(TransactionId, new ArraySegment<string>(labels.Select(l => l.TransactionId).ToArray())).ConfigureAwait(false);
            await group.WriteAsync<bool>(IsSuspicious, labels.Select(l => l.IsSuspicious).ToArray().AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(Typology, new ArraySegment<string>(labels.Select(l => l.Typology).ToArray())).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(KnownAt, labels.Select(l => DateTime.UnixEpoch.AddMilliseconds(l.KnownAtMs)).ToArray().AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(Source, new ArraySegment<string>(labels.Select(l => l.Source).ToArray())).ConfigureAwait(false);
            group.CompleteValidate();
        }).ConfigureAwait(false);
        return path;
    }

    /// <summary>Every row of the label table, file by file in writing order.</summary>
    /// <exception cref="InvalidDataException">A file lacks a column of the table.</exception>
    public static async Task<IReadOnlyList<LabelRecord>> ReadAsync(string root, CancellationToken cancellationToken = default)
    {
        var labels = new List<LabelRecord>();
        foreach (var file in DatasetLayout.LabelFiles(root))
        {
            var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var _ = reader.ConfigureAwait(false);
            var byName = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            DataField Need(DataField field) => byName.GetValueOrDefault(field.Name)
                ?? throw new InvalidDataException($"{file}: missing column '{field.Name}'");
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var n = checked((int)group.RowCount);
                var ids = new string?[n];
                var typologies = new string?[n];
                var sources = new string?[n];
                await group.ReadAsync(Need(TransactionId), ids.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                await group.ReadAsync(Need(Typology), typologies.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                await group.ReadAsync(Need(Source), sources.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var suspicious = await TransactionParquetReader.ValuesAsync<bool>(group, Need(IsSuspicious), n, cancellationToken).ConfigureAwait(false);
                var knownAt = await TransactionParquetReader.ValuesAsync<DateTime>(group, Need(KnownAt), n, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < n; i++)
                {
                    labels.Add(new LabelRecord(
                        ids[i] ?? throw new InvalidDataException($"{file}: column 'transaction_id' has a null value"),
                        suspicious[i], typologies[i] ?? Typologies.None,
                        ((knownAt[i].Kind == DateTimeKind.Local ? knownAt[i].ToUniversalTime() : knownAt[i]).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond,
                        sources[i] ?? ""));
                }
            }
        }

        return labels;
    }
}
