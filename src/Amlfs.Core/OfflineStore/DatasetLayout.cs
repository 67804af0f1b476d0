using System.Globalization;

namespace Amlfs.OfflineStore;

/// <summary>
/// The offline store's directory layout: transactions Hive-partitioned by UTC day, which DuckDB reads as
/// <c>read_parquet('DIR/transactions/*/*.parquet', hive_partitioning = true)</c>, one file per profile table, and the
/// feature log partitioned by entity type and UTC day. Whoever writes or reads the store's files (the Parquet adapter,
/// DuckDB) finds them here; the files' own format is theirs.
/// <code>
/// DIR/transactions/date=2026-01-05/part-00000.parquet
/// DIR/transactions/date=2026-01-05/part-log-00000000000000000001-00000000000000052000.parquet   rolled from the log
/// DIR/customers.parquet
/// DIR/merchants.parquet
/// DIR/feature_log/customer/date=2026-01-05/part-*.parquet                                        served vectors
/// DIR/labels/part-20260105T143000123Z-1f2e3d4c.parquet                                           labels known later
/// DIR/decisions/date=2026-01-05/part-log-00000000000000000001-00000000000000052000.parquet      rolled decisions
/// DIR/decision_log/00000000000000000001.wal                                                      decisions not rolled yet
/// DIR/cases/00000000000000000001.wal                                                             the case log, kept whole
/// DIR/audit/audit-20260105-00000000000000000001.jsonl                                            the audit trail (docs/audit.md)
/// </code>
/// A table rolled from a log (transactions, decisions) is a dataset directory of day partitions; the
/// <c>Dataset*</c> members work on any of them.
/// </summary>
public static class DatasetLayout
{
    public const string TransactionsFolder = "transactions";
    public const string CustomersFile = "customers.parquet";
    public const string MerchantsFile = "merchants.parquet";
    public const string FeatureLogFolder = "feature_log";
    public const string LabelsFolder = "labels";
    public const string DecisionsFolder = "decisions";
    public const string DecisionLogFolder = "decision_log";
    public const string CasesFolder = "cases";
    public const string AuditFolder = "audit";

    private const string PartitionPrefix = "date=";
    private const string LogPartPrefix = "part-log-";

    public static string TransactionsDirectory(string root) => Path.Combine(root, TransactionsFolder);

    /// <summary><c>DIR/decisions</c>: the decisions rolled from the decision log.</summary>
    public static string DecisionsDirectory(string root) => Path.Combine(root, DecisionsFolder);

    /// <summary><c>DIR/decision_log</c>: the segments of the decision log.</summary>
    public static string DecisionLogDirectory(string root) => Path.Combine(root, DecisionLogFolder);

    /// <summary><c>DIR/audit</c>: the hash-chained audit trail (<see cref="Audit.AuditLog"/>).</summary>
    public static string AuditDirectory(string root) => Path.Combine(root, AuditFolder);

    /// <summary><c>DIR/transactions/date=YYYY-MM-DD</c>.</summary>
    public static string PartitionDirectory(string root, DateOnly date) => DatasetPartitionDirectory(TransactionsDirectory(root), date);

    /// <summary><c>DATASET/date=YYYY-MM-DD</c>.</summary>
    public static string DatasetPartitionDirectory(string dataset, DateOnly date) =>
        Path.Combine(dataset, PartitionPrefix + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary><c>DIR/transactions/date=YYYY-MM-DD/part-NNNNN.parquet</c>.</summary>
    public static string PartitionFile(string root, DateOnly date, int part = 0) =>
        Path.Combine(PartitionDirectory(root, date), string.Create(CultureInfo.InvariantCulture, $"part-{part:D5}.parquet"));

    /// <summary>
    /// <c>DIR/transactions/date=YYYY-MM-DD/part-log-FIRST-LAST.parquet</c>: that day's rows of the write-ahead log
    /// records FIRST to LAST (20 digits each, so names sort by sequence), rolled into the offline store.
    /// </summary>
    public static string LogPartFile(string root, DateOnly date, long firstSequence, long lastSequence) =>
        DatasetLogPartFile(TransactionsDirectory(root), date, firstSequence, lastSequence);

    /// <summary><c>DATASET/date=YYYY-MM-DD/part-log-FIRST-LAST.parquet</c>, as <see cref="LogPartFile"/> for any rolled table.</summary>
    public static string DatasetLogPartFile(string dataset, DateOnly date, long firstSequence, long lastSequence) =>
        Path.Combine(DatasetPartitionDirectory(dataset, date), string.Create(CultureInfo.InvariantCulture, $"{LogPartPrefix}{firstSequence:D20}-{lastSequence:D20}.parquet"));

    /// <summary>The sequence range in a <see cref="LogPartFile"/> name, or null for any other file.</summary>
    public static (long First, long Last)? ParseLogPartFile(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        const int Digits = 20;
        var name = fileName.AsSpan();
        if (name.Length != LogPartPrefix.Length + Digits + 1 + Digits + ".parquet".Length || !name.StartsWith(LogPartPrefix, StringComparison.Ordinal)
            || !name.EndsWith(".parquet", StringComparison.Ordinal) || name[LogPartPrefix.Length + Digits] != '-')
        {
            return null;
        }

        var first = name.Slice(LogPartPrefix.Length, Digits);
        var last = name.Slice(LogPartPrefix.Length + Digits + 1, Digits);
        return !first.ContainsAnyExceptInRange('0', '9') && !last.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var f)
            && long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && f <= l
            ? (f, l)
            : null;
    }

    /// <summary>The UTC days that have a partition directory, in date order.</summary>
    public static IReadOnlyList<DateOnly> PartitionDates(string root) => DatasetPartitionDates(TransactionsDirectory(root));

    /// <summary>The UTC days of a dataset directory's partitions, in date order.</summary>
    public static IReadOnlyList<DateOnly> DatasetPartitionDates(string directory)
    {
        if (!Directory.Exists(directory))
            return [];
        return Directory.EnumerateDirectories(directory, PartitionPrefix + "*")
            .Select(PartitionDate)
            .OfType<DateOnly>()
            .Order()
            .ToArray();
    }

    /// <summary>The transaction files of one day's partition, by file name; empty when it has none.</summary>
    public static IReadOnlyList<string> PartitionFiles(string root, DateOnly date) => DatasetPartitionFiles(TransactionsDirectory(root), date);

    /// <summary>The Parquet files of one day's partition of a dataset directory, by file name.</summary>
    public static IReadOnlyList<string> DatasetPartitionFiles(string dataset, DateOnly date)
    {
        var directory = DatasetPartitionDirectory(dataset, date);
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.parquet").Order(StringComparer.Ordinal).ToArray() : [];
    }

    public static string CustomersPath(string root) => Path.Combine(root, CustomersFile);

    public static string MerchantsPath(string root) => Path.Combine(root, MerchantsFile);

    /// <summary><c>DIR/feature_log</c>: one folder per entity type, each partitioned by the UTC day of the as-of time.</summary>
    public static string FeatureLogDirectory(string root) => Path.Combine(root, FeatureLogFolder);

    /// <summary><c>DIR/labels</c>: the label table, labels that became known after their transactions were stored.</summary>
    public static string LabelsDirectory(string root) => Path.Combine(root, LabelsFolder);

    /// <summary>The case log: every event of every case (<c>Amlfs.Cases.CaseLog</c>), never rolled away.</summary>
    public static string CasesDirectory(string root) => Path.Combine(root, CasesFolder);

    /// <summary>
    /// A new file of the label table: <c>DIR/labels/part-TIME-RANDOM.parquet</c>, named by when it is written (UTC, to
    /// the millisecond) so that names sort by writing time; files are only ever added.
    /// </summary>
    public static string NewLabelFile(string root, DateTimeOffset written) =>
        Path.Combine(LabelsDirectory(root), string.Create(CultureInfo.InvariantCulture,
            $"part-{written.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid().ToString("N")[..8]}.parquet"));

    /// <summary>The files of the label table, by name (writing order); empty when there are none.</summary>
    public static IReadOnlyList<string> LabelFiles(string root)
    {
        var directory = LabelsDirectory(root);
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "part-*.parquet").Order(StringComparer.Ordinal).ToArray() : [];
    }

    /// <summary>The transaction files under <paramref name="root"/>, by partition date and then by file name.</summary>
    public static IReadOnlyList<string> TransactionFiles(string root)
    {
        var directory = TransactionsDirectory(root);
        if (!Directory.Exists(directory))
            return [];
        return Directory.EnumerateDirectories(directory, PartitionPrefix + "*")
            .Select(d => (Date: PartitionDate(d), Path: d))
            .Where(p => p.Date is not null)
            .OrderBy(p => p.Date)
            .SelectMany(p => Directory.EnumerateFiles(p.Path, "*.parquet").Order(StringComparer.Ordinal))
            .ToArray();
    }

    private static DateOnly? PartitionDate(string directory) =>
        DateOnly.TryParseExact(Path.GetFileName(directory).AsSpan(PartitionPrefix.Length), "yyyy-MM-dd",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
