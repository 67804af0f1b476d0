using System.Globalization;
using System.Text.Json;
using Amlfs.Decisions;
using Amlfs.Scoring;
using Amlfs.Transactions;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Decisions;

/// <summary>
/// The decision log in the offline store: <c>DIR/decisions/date=YYYY-MM-DD/part-*.parquet</c>, partitioned by the UTC
/// day of the transactions' times, one row per decision. Columns: <c>transaction_id</c>, <c>customer_id</c>,
/// <c>merchant_id</c>, <c>destination_type</c>, <c>amount</c> (currency units), <c>timestamp</c> (the transaction's
/// time), <c>log_sequence</c>, <c>decided_at</c>, <c>risk_score</c>, <c>risk_level</c> (LOW, MEDIUM, HIGH),
/// <c>model_version</c>, <c>anomaly_score</c> (null for the rules model) and <c>contributions</c>: for a decision that
/// alerts, its explanation as a JSON array of <c>{"feature", "value", "contribution"}</c>, largest first (DuckDB reads
/// it with its JSON functions); null for the others. Each file's key-value metadata <c>amlfs.through_sequence</c> is the
/// highest log sequence whose decision the files written so far hold: where scoring resumes after a restart.
/// </summary>
public static class DecisionLogFiles
{
    /// <summary>The folder of the decision log under a data directory.</summary>
    public const string Folder = "decisions";

    /// <summary>The metadata key of the highest log sequence decided once the file is written.</summary>
    public const string ThroughSequenceKey = "amlfs.through_sequence";

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

    private static readonly ParquetSchema Schema = new(
        TransactionId, CustomerId, MerchantId, Destination, Amount, Timestamp, LogSequence, DecidedAt, Score, Level, ModelVersion, Anomaly, Contributions);

    private static long _files;

    /// <summary>The decision log's directory under a data directory.</summary>
    public static string Directory(string root) => Path.Combine(root, Folder);

    /// <summary>
    /// Writes decisions, one new file per UTC day of their transactions' times, each with
    /// <paramref name="throughSequence"/> in its metadata. Returns the files written.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string root, IReadOnlyList<Decision> decisions, long throughSequence,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(decisions);
        var written = new List<string>();
        foreach (var day in decisions.GroupBy(d => DateOnly.FromDateTime(Utc(d.EventTimeMs))).OrderBy(g => g.Key))
        {
            var rows = day.ToArray();
            var name = string.Create(CultureInfo.InvariantCulture,
                $"part-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():D13}-{Environment.ProcessId}-{Interlocked.Increment(ref _files):D6}.parquet");
            var path = Path.Combine(Directory(root), string.Create(CultureInfo.InvariantCulture, $"date={day.Key:yyyy-MM-dd}"), name);
            await TransactionParquetWriter.WriteFileAsync(path, stream => WriteRowsAsync(stream, rows, throughSequence, cancellationToken)).ConfigureAwait(false);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Every decision under a data directory, file by file, and the highest sequence the files say they hold (0 for none).</summary>
    public static async Task<(IReadOnlyList<Decision> Decisions, long ThroughSequence)> ReadAsync(string root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var decisions = new List<Decision>();
        long through = 0;
        var directory = Directory(root);
        if (!System.IO.Directory.Exists(directory))
            return (decisions, 0);
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            through = Math.Max(through, await ReadFileAsync(file, decisions, cancellationToken).ConfigureAwait(false));
        return (decisions, through);
    }

    private static async Task WriteRowsAsync(Stream stream, Decision[] rows, long throughSequence, CancellationToken cancellationToken)
    {
        await using var writer = await ParquetWriter.CreateAsync(Schema, stream, TransactionParquetWriter.WriteOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string> { [ThroughSequenceKey] = throughSequence.ToString(CultureInfo.InvariantCulture) };
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(TransactionId, rows.Select(r => r.TransactionId).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(CustomerId, rows.Select(r => r.CustomerId).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(MerchantId, rows.Select(r => r.MerchantId).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(Destination, rows.Select(r => DestinationTypes.Name(r.DestinationType)).ToArray()).ConfigureAwait(false);
        await group.WriteAsync<decimal>(Amount, rows.Select(r => r.AmountCents / 100m).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(Timestamp, rows.Select(r => Utc(r.EventTimeMs)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(LogSequence, rows.Select(r => r.LogSequence).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(DecidedAt, rows.Select(r => Utc(r.DecidedAtMs)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(Score, rows.Select(r => r.Score).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(Level, rows.Select(r => LevelName(r.Level)).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(ModelVersion, rows.Select(r => r.ModelVersion).ToArray()).ConfigureAwait(false);
        await group.WriteAsync<double>(Anomaly, rows.Select(r => r.AnomalyScore).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(Contributions, rows.Select(r => r.Contributions is { } c ? JsonSerializer.Serialize(c, DecisionJsonContext.Default.IReadOnlyListDecisionContribution) : null).ToArray())
            .ConfigureAwait(false);
        group.CompleteValidate();
    }

    private static async Task<long> ReadFileAsync(string path, List<Decision> decisions, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var byName = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            DataField Need(DataField field) => byName.GetValueOrDefault(field.Name) ?? throw new InvalidDataException($"{path}: missing column '{field.Name}'");
            foreach (var group in reader.RowGroups)
            {
                var count = checked((int)group.RowCount);
                async Task<string?[]> Strings(DataField field)
                {
                    var values = new string?[count];
                    await group.ReadAsync(Need(field), values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    return values;
                }

                async Task<T[]> Values<T>(DataField field)
                    where T : struct
                {
                    var values = new T[count];
                    await group.ReadAsync<T>(Need(field), values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    return values;
                }

                var ids = await Strings(TransactionId).ConfigureAwait(false);
                var customers = await Strings(CustomerId).ConfigureAwait(false);
                var merchants = await Strings(MerchantId).ConfigureAwait(false);
                var destinations = await Strings(Destination).ConfigureAwait(false);
                var amounts = await Values<decimal>(Amount).ConfigureAwait(false);
                var times = await Values<DateTime>(Timestamp).ConfigureAwait(false);
                var sequences = await Values<long>(LogSequence).ConfigureAwait(false);
                var decided = await Values<DateTime>(DecidedAt).ConfigureAwait(false);
                var scores = await Values<double>(Score).ConfigureAwait(false);
                var levels = await Strings(Level).ConfigureAwait(false);
                var versions = await Strings(ModelVersion).ConfigureAwait(false);
                var anomalies = new double?[count];
                await group.ReadAsync<double>(Need(Anomaly), anomalies.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var contributions = await Strings(Contributions).ConfigureAwait(false);
                for (var r = 0; r < count; r++)
                {
                    decisions.Add(new Decision(
                        ids[r] ?? throw new InvalidDataException($"{path}: null transaction_id"),
                        customers[r] ?? "", merchants[r] ?? "",
                        DestinationTypes.TryParse(destinations[r]) ?? throw new InvalidDataException($"{path}: destination_type '{destinations[r]}'"),
                        (long)(amounts[r] * 100m), UnixMs(times[r]), sequences[r], UnixMs(decided[r]), scores[r],
                        ParseLevel(levels[r], path), versions[r] ?? "")
                    {
                        AnomalyScore = anomalies[r],
                        Contributions = contributions[r] is { } json
                            ? JsonSerializer.Deserialize(json, DecisionJsonContext.Default.IReadOnlyListDecisionContribution)
                            : null,
                    });
                }
            }

            return reader.CustomMetadata.TryGetValue(ThroughSequenceKey, out var text)
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var through) ? through : 0;
        }
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
