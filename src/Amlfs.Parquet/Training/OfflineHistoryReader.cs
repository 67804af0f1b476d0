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
        var units = new List<(string File, FileMetaData Metadata, int Group, int Offset)>();
        var total = 0L;
        foreach (var file in files)
        {
            var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var _ = reader.ConfigureAwait(false);
            var metadata = reader.Metadata ?? throw new InvalidDataException($"{file}: no Parquet footer");
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                units.Add((file, metadata, g, checked((int)total)));
                total += reader.RowGroups[g].RowCount;
            }
        }

        var columns = new HistoryColumns(checked((int)total), keys, fields);
        await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (unit, ct) =>
            {
                var group = new RowGroupColumns(unit.File, unit.Metadata, unit.Group);
                await using var _ = group.ConfigureAwait(false);
                try
                {
                    await columns.ReadAsync(group, unit.Offset, ct).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{unit.File}: {e.Message}", e);
                }

                progress?.Report(group.Rows);
            }).ConfigureAwait(false);

        columns.SortByTime();
        var history = new ReplayHistory(columns.Times, columns.Cents, columns.Ids, columns.IdFingerprints, columns.Keys,
            fieldFingerprints: columns.Fingerprints);
        return new OfflineHistory(history, columns.Suspicious, columns.Typologies, files.Count);
    }
}
