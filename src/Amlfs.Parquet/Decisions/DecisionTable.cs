using System.Text.Json;
using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Scoring;
using Amlfs.Transactions;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Decisions;

/// <summary>
/// The offline store's decisions table: <c>DIR/decisions/date=YYYY-MM-DD/part-log-FIRST-LAST.parquet</c>, rolled from
/// the decision log by <see cref="Roll.DecisionRoller"/>, partitioned by the UTC day of the transactions' times, one row
/// per decision. Columns: <c>transaction_id</c>, <c>customer_id</c>, <c>merchant_id</c>, <c>destination_type</c>,
/// <c>amount</c> (currency units), <c>timestamp</c> (the transaction's time), <c>log_sequence</c>, <c>decided_at</c>,
/// <c>risk_score</c>, <c>risk_level</c> (LOW, MEDIUM, HIGH), <c>model_version</c>, <c>anomaly_score</c> (null for the
/// rules model) and <c>contributions</c>: for a decision that alerts, its explanation as a JSON array of
/// <c>{"feature", "value", "contribution"}</c>, largest first (DuckDB reads it with its JSON functions); null for the
/// others; and <c>features_as_of</c>: null when the features were read as of the transaction's time, as they almost
/// always are, or the instant they were read as of (<see cref="Decision.FeaturesAsOfMs"/>).
/// </summary>
public static class DecisionTable
{
    /// <summary>Most rows in one row group of a file.</summary>
    public const int RowGroupRows = 50_000;

    private static readonly DataField TransactionId = new DataField<string>("transaction_id", false);
    private static readonly DataField CustomerId = new DataField<string>("customer_id", false);
    private static readonly DataField MerchantId = new DataField<string>("merchant_id", false);
    private static readonly DataField Destination = new DataField<string>("destination_type", false);
    private static readonly DataField Amount = new DecimalDataField("amount", 18, 2, isNullable: false);
    private static readonly DataField Timestamp = new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField LogSequence = new DataField<long>("log_sequence", false);
    private static readonly DataField DecidedAt = new DateTimeDataField("decided_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField Score = new DataField<double>("risk_score", false);
    private static readonly DataField Level = new DataField<string>("risk_level", false);
    private static readonly DataField ModelVersion = new DataField<string>("model_version", false);
    private static readonly DataField Anomaly = new DataField<double?>("anomaly_score", true);
    private static readonly DataField Contributions = new DataField<string>("contributions", true);
    private static readonly DataField FeaturesAsOf = new DateTimeDataField("features_as_of", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true);

    private static readonly ParquetSchema Schema = new(
        TransactionId, CustomerId, MerchantId, Destination, Amount, Timestamp, LogSequence, DecidedAt, Score, Level, ModelVersion, Anomaly, Contributions, FeaturesAsOf);

    /// <summary>Every rolled decision under a data directory, in the order of the files' names and their rows.</summary>
    public static async Task<IReadOnlyList<Decision>> ReadAsync(string root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var decisions = new List<Decision>();
        var dataset = DatasetLayout.DecisionsDirectory(root);
        foreach (var date in DatasetLayout.DatasetPartitionDates(dataset))
        {
            foreach (var file in DatasetLayout.DatasetPartitionFiles(dataset, date))
                await ReadFileAsync(file, decisions, cancellationToken).ConfigureAwait(false);
        }

        return decisions;
    }

    /// <summary>
    /// Writes one file's decisions, in the given order, in row groups of at most <see cref="RowGroupRows"/>: a lookup by
    /// transaction id (<see cref="FindAsync"/>) decodes the one group that holds its match, and skips the groups whose
    /// <c>transaction_id</c> statistics leave the id out.
    /// </summary>
    public static async Task WriteRowsAsync(Stream stream, IReadOnlyList<Decision> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(rows);
        await using var writer = await ParquetWriter.CreateAsync(Schema, stream, TransactionParquetWriter.WriteOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var from = 0; from < rows.Count || from == 0; from += RowGroupRows)
        {
            var part = rows.Skip(from).Take(RowGroupRows).ToArray();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(TransactionId, part.Select(r => r.TransactionId).ToArray()).ConfigureAwait(false);
            await group.WriteAsync(CustomerId, part.Select(r => r.CustomerId).ToArray()).ConfigureAwait(false);
            await group.WriteAsync(MerchantId, part.Select(r => r.MerchantId).ToArray()).ConfigureAwait(false);
            await group.WriteAsync(Destination, part.Select(r => DestinationTypes.Name(r.DestinationType)).ToArray()).ConfigureAwait(false);
            await group.WriteAsync<decimal>(Amount, part.Select(r => r.AmountCents / 100m).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(Timestamp, part.Select(r => Utc(r.EventTimeMs)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<long>(LogSequence, part.Select(r => r.LogSequence).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(DecidedAt, part.Select(r => Utc(r.DecidedAtMs)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(Score, part.Select(r => r.Score).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(Level, part.Select(r => LevelName(r.Level)).ToArray()).ConfigureAwait(false);
            await group.WriteAsync(ModelVersion, part.Select(r => r.ModelVersion).ToArray()).ConfigureAwait(false);
            await group.WriteAsync<double>(Anomaly, part.Select(r => r.AnomalyScore).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(Contributions, part.Select(r => r.Contributions is { } c ? JsonSerializer.Serialize(c, DecisionJsonContext.Default.IReadOnlyListDecisionContribution) : null).ToArray())
                .ConfigureAwait(false);
            await group.WriteAsync<DateTime>(FeaturesAsOf, part.Select(r => r.FeaturesAsOfMs is { } ms ? Utc(ms) : (DateTime?)null).ToArray(), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            group.CompleteValidate();
        }
    }

    private static async Task ReadFileAsync(string path, List<Decision> decisions, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var columns = new Columns(reader, path);
            foreach (var group in reader.RowGroups)
                await columns.ReadAsync(group, null, decisions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The newest rolled decision about <paramref name="transactionId"/>, searching <paramref name="day"/>'s partition
    /// only when it is given (a decision lies in the partition of its transaction's UTC day), else the newest partitions
    /// first; in each, the files newest first (their names sort by log sequence). A row group whose statistics leave the
    /// id out is skipped; of the others only the <c>transaction_id</c> column is read until it matches, then the row
    /// group that holds the match. The search stops, unfinished, before it would read more than <paramref name="maxRows"/>
    /// ids.
    /// </summary>
    public static async Task<DecisionTableLookup> FindAsync(
        string root, string transactionId, DateOnly? day, long maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(transactionId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var dataset = DatasetLayout.DecisionsDirectory(root);
        var dates = DatasetLayout.DatasetPartitionDates(dataset).Reverse().Where(d => day is null || d == day);
        long read = 0;
        foreach (var date in dates)
        {
            foreach (var file in DatasetLayout.DatasetPartitionFiles(dataset, date).Reverse())
            {
                var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var columns = new Columns(reader, file);
                    for (var g = reader.RowGroupCount - 1; g >= 0; g--)
                    {
                        var group = reader.RowGroups[g];
                        if (columns.Excludes(group, transactionId))
                            continue;
                        if (read + group.RowCount > maxRows)
                            return new DecisionTableLookup(null, read, Complete: false);
                        read += group.RowCount;
                        var ids = await columns.StringsAsync(group, TransactionId, cancellationToken).ConfigureAwait(false);
                        var row = Array.LastIndexOf(ids, transactionId);
                        if (row < 0)
                            continue;
                        var found = new List<Decision>(1);
                        await columns.ReadAsync(group, row, found, cancellationToken).ConfigureAwait(false);
                        return new DecisionTableLookup(found[0], read, Complete: true);
                    }
                }
            }
        }

        return new DecisionTableLookup(null, read, Complete: true);
    }

    /// <summary>The columns of one file, found by name, read a row group at a time.</summary>
    private sealed class Columns(ParquetReader reader, string path)
    {
        private readonly Dictionary<string, DataField> _byName = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);

        public async Task<string?[]> StringsAsync(ParquetRowGroupReader group, DataField field, CancellationToken cancellationToken)
        {
            var values = new string?[checked((int)group.RowCount)];
            await group.ReadAsync(Need(field), values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return values;
        }

        /// <summary>Adds the group's decisions to <paramref name="decisions"/>: all of them, or only the one at <paramref name="only"/>.</summary>
        public async Task ReadAsync(ParquetRowGroupReader group, int? only, List<Decision> decisions, CancellationToken cancellationToken)
        {
            var count = checked((int)group.RowCount);
            async Task<T[]> Values<T>(DataField field)
                where T : struct
            {
                var values = new T[count];
                await group.ReadAsync<T>(Need(field), values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                return values;
            }

            var ids = await StringsAsync(group, TransactionId, cancellationToken).ConfigureAwait(false);
            var customers = await StringsAsync(group, CustomerId, cancellationToken).ConfigureAwait(false);
            var merchants = await StringsAsync(group, MerchantId, cancellationToken).ConfigureAwait(false);
            var destinations = await StringsAsync(group, Destination, cancellationToken).ConfigureAwait(false);
            var amounts = await Values<decimal>(Amount).ConfigureAwait(false);
            var times = await Values<DateTime>(Timestamp).ConfigureAwait(false);
            var sequences = await Values<long>(LogSequence).ConfigureAwait(false);
            var decided = await Values<DateTime>(DecidedAt).ConfigureAwait(false);
            var scores = await Values<double>(Score).ConfigureAwait(false);
            var levels = await StringsAsync(group, Level, cancellationToken).ConfigureAwait(false);
            var versions = await StringsAsync(group, ModelVersion, cancellationToken).ConfigureAwait(false);
            var anomalies = new double?[count];
            await group.ReadAsync<double>(Need(Anomaly), anomalies.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            var contributions = await StringsAsync(group, Contributions, cancellationToken).ConfigureAwait(false);
            var asOf = new DateTime?[count];
            await group.ReadAsync<DateTime>(Need(FeaturesAsOf), asOf.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            var (from, to) = only is { } row ? (row, row + 1) : (0, count);
            for (var r = from; r < to; r++)
            {
                decisions.Add(new Decision(
                    ids[r] ?? throw new InvalidDataException($"{path}: null transaction_id"),
                    customers[r] ?? "", merchants[r] ?? "",
                    DestinationTypes.TryParse(destinations[r]) ?? throw new InvalidDataException($"{path}: destination_type '{destinations[r]}'"),
                    (long)(amounts[r] * 100m), UnixMs(times[r]), sequences[r], UnixMs(decided[r]), scores[r],
                    ParseLevel(levels[r], path), versions[r] ?? "")
                {
                    AnomalyScore = anomalies[r],
                    FeaturesAsOfMs = asOf[r] is { } features ? UnixMs(features) : null,
                    Contributions = contributions[r] is { } json
                        ? JsonSerializer.Deserialize(json, DecisionJsonContext.Default.IReadOnlyListDecisionContribution)
                        : null,
                });
            }
        }

        /// <summary>
        /// Whether the group's <c>transaction_id</c> statistics leave <paramref name="id"/> out. Parquet.Net computes a
        /// string column's minimum and maximum by ordinal order (a test pins it), so the comparison here is ordinal too;
        /// a group without statistics excludes nothing.
        /// </summary>
        public bool Excludes(ParquetRowGroupReader group, string id) =>
            group.GetStatistics(Need(TransactionId)) is { MinValue: string min, MaxValue: string max }
            && (string.CompareOrdinal(id, min) < 0 || string.CompareOrdinal(id, max) > 0);

        private DataField Need(DataField field) => _byName.GetValueOrDefault(field.Name) ?? throw new InvalidDataException($"{path}: missing column '{field.Name}'");
    }

    private static string LevelName(RiskLevel level) => level switch
    {
        RiskLevel.Low => "LOW",
        RiskLevel.Medium => "MEDIUM",
        RiskLevel.High => "HIGH",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a risk level"),
    };

    private static RiskLevel ParseLevel(string? text, string path) => text switch
    {
        "LOW" => RiskLevel.Low,
        "MEDIUM" => RiskLevel.Medium,
        "HIGH" => RiskLevel.High,
        _ => throw new InvalidDataException($"{path}: risk_level '{text}' is not LOW, MEDIUM or HIGH"),
    };

    private static DateTime Utc(long ms) => new(DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    private static long UnixMs(DateTime timestamp)
    {
        if (timestamp.Kind == DateTimeKind.Local)
            timestamp = timestamp.ToUniversalTime();
        return (timestamp.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
    }
}
