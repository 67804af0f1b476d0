using System.Globalization;
using Amlfs.Consistency;
using Amlfs.OfflineStore;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.FeatureLog;

/// <summary>
/// The feature log in the offline store: <c>DIR/feature_log/ENTITY/date=YYYY-MM-DD/part-*.parquet</c>, partitioned by
/// the UTC day of the as-of time, one row per served vector and one nullable double column per feature (wide, so SQL
/// reads a feature by name; null where the vector did not carry it, such as request features of a features read).
/// Fixed columns: <c>entity_id</c>, <c>as_of</c>, <c>log_sequence</c>, <c>served_at</c>, <c>kind</c>
/// (<c>features</c> or <c>predict</c>), <c>request_amount</c>. Each file's key-value metadata <c>amlfs.dropped</c>
/// counts the vectors the server could not log since the previous file (its buffer was full).
/// </summary>
public static class FeatureLogFiles
{
    public const string Folder = DatasetLayout.FeatureLogFolder;
    public const string DroppedKey = "amlfs.dropped";

    private static readonly DataField EntityId = new DataField<string>("entity_id", false);
    private static readonly DataField AsOf = new DateTimeDataField("as_of", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField LogSequence = new DataField<long>("log_sequence", false);
    private static readonly DataField ServedAt = new DateTimeDataField("served_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField Kind = new DataField<string>("kind", false);
    private static readonly DataField RequestAmount = new DataField<double?>("request_amount", true);
    private static readonly DataField[] Fixed = [EntityId, AsOf, LogSequence, ServedAt, Kind, RequestAmount];
    private static long _files;

    /// <summary>The feature log's directory under a data directory.</summary>
    public static string Directory(string root) => DatasetLayout.FeatureLogDirectory(root);

    /// <summary>
    /// Writes vectors of one entity type, one new file per UTC day of their as-of times, with columns for
    /// <paramref name="features"/> in that order (a vector's features not among them are not written).
    /// <paramref name="dropped"/> goes into the metadata of the first file. Returns the files written.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string root, string entity, IReadOnlyList<string> features,
        IReadOnlyList<LoggedVector> vectors, long dropped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(vectors);
        var written = new List<string>();
        var schema = new ParquetSchema(Fixed.Concat(features.Select(f => (Field)new DataField<double?>(f, true))).ToArray());
        var column = features.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        foreach (var day in vectors.GroupBy(v => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(v.AsOfMs).UtcDateTime)).OrderBy(g => g.Key))
        {
            var rows = day.ToArray();
            var name = string.Create(CultureInfo.InvariantCulture,
                $"part-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():D13}-{Environment.ProcessId}-{Interlocked.Increment(ref _files):D6}.parquet");
            var path = Path.Combine(Directory(root), entity, string.Create(CultureInfo.InvariantCulture, $"date={day.Key:yyyy-MM-dd}"), name);
            var droppedHere = written.Count == 0 ? dropped : 0;
            await TransactionParquetWriter.WriteFileAsync(path, stream => WriteRowsAsync(stream, schema, column, rows, droppedHere, cancellationToken)).ConfigureAwait(false);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Every logged vector under a data directory, file by file, and the vectors the files say were dropped.</summary>
    public static async Task<(IReadOnlyList<LoggedVector> Vectors, long Dropped)> ReadAsync(string root, CancellationToken cancellationToken = default)
    {
        var vectors = new List<LoggedVector>();
        long dropped = 0;
        var directory = Directory(root);
        if (!System.IO.Directory.Exists(directory))
            return (vectors, 0);
        foreach (var entityDirectory in System.IO.Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var entity = Path.GetFileName(entityDirectory);
            foreach (var file in System.IO.Directory.EnumerateFiles(entityDirectory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                dropped += await ReadFileAsync(file, entity, vectors, cancellationToken).ConfigureAwait(false);
        }

        return (vectors, dropped);
    }

    private static async Task WriteRowsAsync(Stream stream, ParquetSchema schema, Dictionary<string, int> column,
        LoggedVector[] rows, long dropped, CancellationToken cancellationToken)
    {
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, TransactionParquetWriter.WriteOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string> { [DroppedKey] = dropped.ToString(CultureInfo.InvariantCulture) };
        using var group = writer.CreateRowGroup();
        var fields = schema.GetDataFields();
        await group.WriteAsync(fields[0], rows.Select(r => r.EntityId).ToArray()).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(fields[1], rows.Select(r => Utc(r.AsOfMs)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[2], rows.Select(r => r.LogSequence).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(fields[3], rows.Select(r => Utc(r.ServedAtMs)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(fields[4], rows.Select(r => KindName(r.Kind)).ToArray()).ConfigureAwait(false);
        await group.WriteAsync<double>(fields[5], rows.Select(r => r.RequestAmount).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var values = new double?[column.Count][];
        for (var c = 0; c < values.Length; c++)
            values[c] = new double?[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            for (var i = 0; i < row.Names.Count; i++)
            {
                if (column.TryGetValue(row.Names[i], out var c))
                    values[c][r] = row.Values[i];
            }
        }

        for (var c = 0; c < values.Length; c++)
            await group.WriteAsync<double>(fields[Fixed.Length + c], values[c], cancellationToken: cancellationToken).ConfigureAwait(false);
        group.CompleteValidate();
    }

    private static async Task<long> ReadFileAsync(string path, string entity, List<LoggedVector> vectors, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            var byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
            DataField Need(DataField field) => byName.GetValueOrDefault(field.Name)
                ?? throw new InvalidDataException($"{path}: missing column '{field.Name}'");
            var features = fields.Where(f => !Fixed.Any(x => x.Name == f.Name)).ToArray();
            var names = features.Select(f => f.Name).ToArray();
            foreach (var group in reader.RowGroups)
            {
                var count = checked((int)group.RowCount);
                var ids = new string?[count];
                await group.ReadAsync(Need(EntityId), ids.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var asOf = new DateTime[count];
                await group.ReadAsync<DateTime>(Need(AsOf), asOf.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var sequences = new long[count];
                await group.ReadAsync<long>(Need(LogSequence), sequences.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var servedAt = new DateTime[count];
                await group.ReadAsync<DateTime>(Need(ServedAt), servedAt.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var kinds = new string?[count];
                await group.ReadAsync(Need(Kind), kinds.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var amounts = new double?[count];
                await group.ReadAsync<double>(Need(RequestAmount), amounts.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var columns = new double?[features.Length][];
                for (var c = 0; c < features.Length; c++)
                {
                    columns[c] = new double?[count];
                    await group.ReadAsync<double>(features[c], columns[c].AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                for (var r = 0; r < count; r++)
                {
                    var row = new double?[features.Length];
                    for (var c = 0; c < features.Length; c++)
                        row[c] = columns[c][r];
                    vectors.Add(new LoggedVector(entity, ids[r] ?? throw new InvalidDataException($"{path}: null entity_id"),
                        UnixMs(asOf[r]), sequences[r], UnixMs(servedAt[r]),
                        kinds[r] == "predict" ? FeatureLogKind.Predict : FeatureLogKind.Features, amounts[r], names, row));
                }
            }

            return reader.CustomMetadata.TryGetValue(DroppedKey, out var text)
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var dropped) ? dropped : 0;
        }
    }

    private static string KindName(FeatureLogKind kind) => kind == FeatureLogKind.Predict ? "predict" : "features";

    private static DateTime Utc(long ms) => new(DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    private static long UnixMs(DateTime timestamp)
    {
        if (timestamp.Kind == DateTimeKind.Local)
            timestamp = timestamp.ToUniversalTime();
        return (timestamp.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
    }
}
