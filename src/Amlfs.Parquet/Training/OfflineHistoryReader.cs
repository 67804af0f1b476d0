using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Registry;
using Parquet;
using Parquet.Meta;

namespace Amlfs.Parquet.Training;

/// <summary>
/// Reads the offline store for a replay: only the columns the replay needs, column by column into one array per
/// column (no object per transaction), row groups in parallel, then into event-time order. A day may hold several
/// files (generated rows, rows rolled from the log later), so the concatenation is sorted when it is not already in
/// order: stably, so that equal times keep file order. The columns are decoded from their pages where the files allow
/// (<see cref="RowGroupColumns"/>), with no string per row (<see cref="HistoryColumns"/>).
/// </summary>
public static class OfflineHistoryReader
{
    /// <summary>
    /// Reads every transaction under <paramref name="root"/> (transaction id, time and amount always) with the string
    /// fields <paramref name="keys"/> as strings and fingerprints (the entities' join keys and what the caller writes
    /// out) and <paramref name="fields"/> as fingerprints only (fields that features count distinctly).
    /// <paramref name="progress"/> receives rows read, from any thread.
    /// </summary>
    /// <exception cref="InvalidDataException">A file lacks a required column or holds a null where none may be.</exception>
    public static async Task<OfflineHistory> ReadAsync(
        string root, IReadOnlyCollection<TransactionField> keys, IReadOnlyCollection<TransactionField> fields, int parallelism,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(fields);
        var files = DatasetLayout.TransactionFiles(root);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        var footers = new FileMetaData[files.Count];
        await Parallel.ForAsync(0, files.Count, parallel, async (f, ct) =>
        {
            var reader = await ParquetReader.CreateAsync(files[f], cancellationToken: ct).ConfigureAwait(false);
            await using var _ = reader.ConfigureAwait(false);
            footers[f] = reader.Metadata ?? throw new InvalidDataException($"{files[f]}: no Parquet footer");
        }).ConfigureAwait(false);

        var units = new List<(string File, FileMetaData Metadata, int Group, int Offset)>();
        var total = 0L;
        for (var f = 0; f < files.Count; f++)
        {
            for (var g = 0; g < footers[f].RowGroups.Count; g++)
            {
                units.Add((files[f], footers[f], g, checked((int)total)));
                total += footers[f].RowGroups[g].NumRows;
            }
        }

        var columns = new HistoryColumns(checked((int)total), keys, fields);
        columns.Prefault(parallelism);
        // Largest row groups first, so that the last to start are short ones.
        await Parallel.ForEachAsync(units.OrderByDescending(u => u.Metadata.RowGroups[u.Group].NumRows), parallel,
            async (unit, ct) =>
            {
                try
                {
                    await columns.ReadAsync(unit.File, unit.Metadata, unit.Group, unit.Offset, ct).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{unit.File}: {e.Message}", e);
                }

                progress?.Report(unit.Metadata.RowGroups[unit.Group].NumRows);
            }).ConfigureAwait(false);

        columns.SortByTime();
        var history = new ReplayHistory(columns.Times, columns.Cents, columns.Ids, columns.IdFingerprints, columns.Keys,
            fieldFingerprints: columns.Fingerprints, destinations: columns.Destinations);
        return new OfflineHistory(history, columns.Suspicious, columns.Typologies, files.Count);
    }
}
