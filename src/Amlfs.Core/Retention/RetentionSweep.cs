using System.Globalization;
using Amlfs.Audit;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Storage;

namespace Amlfs.Retention;

/// <summary>
/// Deletes what a data directory's stores hold beyond their retention period (<see cref="RetentionSettings"/>), a whole
/// UTC day at a time: a day partition (<c>date=YYYY-MM-DD</c>) or a day's file goes when every instant of its day is
/// older than the period, that is when the day's end plus the period is not after now. So the day being written (today,
/// or any day the period still covers) is never touched, and nothing is deleted from the stores that keep everything
/// (the audit trail, cases, models, the registry, keys) or bound themselves (the write-ahead log, snapshots). A sweep
/// that deleted something records one <see cref="AuditActions.RetentionSwept"/> record listing it.
/// </summary>
public sealed class RetentionSweep
{
    private readonly string _dataDirectory;
    private readonly RetentionSettings _settings;
    private readonly TimeProvider _clock;

    /// <exception cref="ArgumentException">The settings are not valid (<see cref="RetentionSettings.Validate"/>); the message names the setting.</exception>
    public RetentionSweep(string dataDirectory, RetentionSettings settings, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        if (settings.Validate() is [_, ..] errors)
            throw new ArgumentException(string.Join("; ", errors), nameof(settings));
        _dataDirectory = dataDirectory;
        _settings = settings;
        _clock = clock;
    }

    /// <summary>
    /// Finds what has expired and, unless <paramref name="dryRun"/>, deletes it and records the sweep in
    /// <paramref name="audit"/> as <paramref name="actor"/> (when anything was deleted). Deleting stops at the first
    /// failure, which is thrown after what was deleted before it is recorded.
    /// </summary>
    public RetentionReport Run(bool dryRun, IAuditTrail? audit = null, string actor = "system")
    {
        var now = _clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var stores = new List<RetentionStoreReport>();
        foreach (var (store, period) in _settings.Periods)
        {
            // The first day kept: the day holding the instant now - period (whose later instants are within it).
            var cutoff = DateOnly.FromDateTime((now - period).UtcDateTime);
            if (cutoff > today)
                cutoff = today;
            var expired = Expired(store).Where(e => e.Day < cutoff).OrderBy(e => e.Day).ThenBy(e => e.Path, StringComparer.Ordinal).ToArray();
            stores.Add(new RetentionStoreReport(store, period, cutoff, expired.Select(e => Relative(e.Path)).ToArray()));
        }

        var report = new RetentionReport(now, dryRun, stores);
        if (dryRun || report.Expired == 0)
            return report;

        var deleted = new List<RetentionStoreReport>();
        Exception? failure = null;
        foreach (var store in stores)
        {
            var done = new List<string>();
            foreach (var relative in store.Expired)
            {
                try
                {
                    if (Delete(Path.Combine(_dataDirectory, relative)))
                        done.Add(relative);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    failure = new IOException($"retention: could not delete {relative}: {e.Message}", e);
                    break;
                }
            }

            deleted.Add(store with { Expired = done });
            if (failure is not null)
                break;
        }

        var result = report with { Stores = deleted };
        if (result.Expired > 0)
            audit?.Record(actor, AuditActions.RetentionSwept, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(_dataDirectory))), Details(result));
        if (failure is not null)
            throw failure;
        return result;
    }

    private static Dictionary<string, string?> Details(RetentionReport report)
    {
        var details = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var store in report.Stores.Where(s => s.Expired.Count > 0))
        {
            details[store.Store] = string.Join(' ', store.Expired);
            details[store.Store + "_period"] = RetentionSettings.Format(store.Period);
        }

        return details;
    }

    private IEnumerable<(DateOnly Day, string Path)> Expired(string store) => store switch
    {
        RetentionStores.Transactions => Partitions(DatasetLayout.TransactionsDirectory(_dataDirectory)),
        RetentionStores.Decisions => Partitions(DatasetLayout.DecisionsDirectory(_dataDirectory)),
        RetentionStores.FeatureLog => Directory.Exists(DatasetLayout.FeatureLogDirectory(_dataDirectory))
            ? Directory.EnumerateDirectories(DatasetLayout.FeatureLogDirectory(_dataDirectory)).SelectMany(Partitions)
            : [],
        RetentionStores.Labels => Files(DatasetLayout.LabelsDirectory(_dataDirectory), "part-*.parquet", LabelDay),
        RetentionStores.DeadLetters => Files(DeadLetterFile.DirectoryOf(_dataDirectory), DeadLetterFile.FilePrefix + "*.jsonl", DeadLetterFile.DayOf),
        _ => throw new ArgumentOutOfRangeException(nameof(store), store, "not a swept store"),
    };

    private static IEnumerable<(DateOnly, string)> Partitions(string dataset) =>
        DatasetLayout.DatasetPartitionDates(dataset).Select(d => (d, DatasetLayout.DatasetPartitionDirectory(dataset, d)));

    private static IEnumerable<(DateOnly, string)> Files(string directory, string pattern, Func<string, DateOnly?> dayOf)
    {
        if (!Directory.Exists(directory))
            yield break;
        foreach (var path in Directory.EnumerateFiles(directory, pattern))
        {
            if (dayOf(Path.GetFileName(path)) is { } day)
                yield return (day, path);
        }
    }

    /// <summary>The UTC day a label file was written (<c>part-YYYYMMDDTHHMMSSfffZ-RANDOM.parquet</c>).</summary>
    private static DateOnly? LabelDay(string fileName) =>
        fileName.Length > 13 && DateOnly.TryParseExact(fileName.AsSpan(5, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;

    /// <summary>Deletes a day partition or file; false when it was gone already (another sweep, the CLI's beside the server's, took it).</summary>
    private static bool Delete(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            else if (File.Exists(path))
                File.Delete(path);
            else
                return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }

        DirectorySync.Flush(Path.GetDirectoryName(path)!);
        return true;
    }

    private string Relative(string path) => Path.GetRelativePath(_dataDirectory, path).Replace('\\', '/');
}
