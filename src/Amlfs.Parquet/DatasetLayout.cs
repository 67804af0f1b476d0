using System.Globalization;

namespace Amlfs.Parquet;

/// <summary>
/// Where a dataset keeps its files: transactions Hive-partitioned by UTC day, which DuckDB reads as
/// <c>read_parquet('DIR/transactions/*/*.parquet', hive_partitioning = true)</c>, and one file per profile table.
/// <code>
/// DIR/transactions/date=2026-01-05/part-00000.parquet
/// DIR/customers.parquet
/// DIR/merchants.parquet
/// </code>
/// </summary>
public static class DatasetLayout
{
    public const string TransactionsFolder = "transactions";
    public const string CustomersFile = "customers.parquet";
    public const string MerchantsFile = "merchants.parquet";

    private const string PartitionPrefix = "date=";

    public static string TransactionsDirectory(string root) => Path.Combine(root, TransactionsFolder);

    /// <summary><c>DIR/transactions/date=YYYY-MM-DD</c>.</summary>
    public static string PartitionDirectory(string root, DateOnly date) =>
        Path.Combine(TransactionsDirectory(root), PartitionPrefix + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary><c>DIR/transactions/date=YYYY-MM-DD/part-NNNNN.parquet</c>.</summary>
    public static string PartitionFile(string root, DateOnly date, int part = 0) =>
        Path.Combine(PartitionDirectory(root, date), string.Create(CultureInfo.InvariantCulture, $"part-{part:D5}.parquet"));

    public static string CustomersPath(string root) => Path.Combine(root, CustomersFile);

    public static string MerchantsPath(string root) => Path.Combine(root, MerchantsFile);

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
