using System.Globalization;
using Amlfs.OfflineStore;

namespace Amlfs.Parquet.Import;

/// <summary>
/// Writes imported transactions to the offline store (<see cref="DatasetLayout"/>): one partition per UTC day, rows in
/// event-time order (file order among equal times), through <see cref="TransactionParquetWriter.WriteDayAsync"/>.
/// Unlike <c>generate</c>, which owns a whole dataset, an import adds days to a store: it only touches the partitions of
/// the days it imports, and replaces one that exists only when asked to.
/// </summary>
public static class OfflineStoreImport
{
    /// <summary>
    /// Writes <paramref name="rows"/> day by day, in date order. An existing partition of one of their days is an
    /// <see cref="ImportException"/>, raised before anything is written, unless <paramref name="replace"/>, which deletes
    /// the partition (all its files) first. <paramref name="dayWritten"/> is called after each day.
    /// </summary>
    public static async Task<OfflineStoreImportResult> WriteAsync(
        string root, IReadOnlyList<LabeledTransaction> rows, bool replace, Action<DateOnly>? dayWritten = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(rows);
        var days = Days(rows);
        var existing = days.Keys.Where(d => Directory.Exists(DatasetLayout.PartitionDirectory(root, d))).Order().ToList();
        if (existing.Count > 0 && !replace)
        {
            var shown = string.Join(", ", existing.Take(3).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            var more = existing.Count > 3 ? string.Create(CultureInfo.InvariantCulture, $" and {existing.Count - 3} more") : "";
            throw new ImportException(string.Create(CultureInfo.InvariantCulture,
                $"{root} already holds partitions of {existing.Count} imported day(s) ({shown}{more}); pass --force to replace them"));
        }

        foreach (var day in existing)
            Directory.Delete(DatasetLayout.PartitionDirectory(root, day), recursive: true);

        var files = new List<string>(days.Count);
        long bytes = 0;
        foreach (var (day, dayRows) in days.OrderBy(d => d.Key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sorted = dayRows.OrderBy(r => r.Transaction.TimestampMs).ToList(); // stable: file order among equal times
            var path = await TransactionParquetWriter.WriteDayAsync(root, day, sorted, cancellationToken).ConfigureAwait(false);
            files.Add(path);
            bytes += new FileInfo(path).Length;
            dayWritten?.Invoke(day);
        }

        return new OfflineStoreImportResult(
            files,
            bytes,
            existing.Count,
            rows.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(rows.Min(r => r.Transaction.TimestampMs)),
            rows.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(rows.Max(r => r.Transaction.TimestampMs)));
    }

    private static Dictionary<DateOnly, List<LabeledTransaction>> Days(IEnumerable<LabeledTransaction> rows)
    {
        var days = new Dictionary<DateOnly, List<LabeledTransaction>>();
        foreach (var row in rows)
        {
            var day = DateOnly.FromDateTime(row.Transaction.Timestamp.UtcDateTime);
            if (!days.TryGetValue(day, out var list))
                days[day] = list = [];
            list.Add(row);
        }

        return days;
    }
}
