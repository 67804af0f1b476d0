using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Training;
using Spectre.Console;

namespace Amlfs.Cli.Training;

/// <summary>
/// A training set built from the offline store (<see cref="TrainingSetBuilder"/>) while progress bars follow its
/// stages: reading the store, replaying the engine, writing the set. Used by <c>amlfs training-set</c> and by the
/// training-set benchmark, which times the same path.
/// </summary>
internal static class TrainingSetProgressBars
{
    /// <summary>Builds the set while a progress bar follows each of its three stages.</summary>
    public static async Task<TrainingSetSummary> BuildAsync(
        IAnsiConsole console, string root, FeaturePlan plan, EngineOptions options, LabelRows? labels, string output, int parallelism,
        CancellationToken cancellationToken)
    {
        var progress = new TrainingSetProgress();
        var storeRows = await CountRowsAsync(root, cancellationToken).ConfigureAwait(false);
        TrainingSetSummary? summary = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var read = context.AddTask("Read the offline store", maxValue: Math.Max(1, storeRows));
                var replay = context.AddTask("Replay the engine", maxValue: 1);
                var write = context.AddTask("Write the training set", maxValue: 1);
                var build = labels is null
                    ? TrainingSetBuilder.BuildFromStoreAsync(root, plan, options, output, parallelism, progress, cancellationToken)
                    : TrainingSetBuilder.BuildFromLabelsAsync(root, plan, options, labels, output, parallelism, progress, cancellationToken);
                while (!build.IsCompleted)
                {
                    read.Value = progress.Read;
                    if (progress.ReplayTotal > 0)
                    {
                        replay.MaxValue = progress.ReplayTotal;
                        replay.Value = progress.Replayed;
                    }

                    if (progress.WriteTotal > 0)
                    {
                        write.MaxValue = progress.WriteTotal;
                        write.Value = progress.Written;
                    }

                    await Task.WhenAny(build, Task.Delay(100, cancellationToken)).ConfigureAwait(false);
                }

                summary = await build.ConfigureAwait(false);
                foreach (var task in new[] { read, replay, write })
                    task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return summary!;
    }

    private static async Task<long> CountRowsAsync(string root, CancellationToken cancellationToken)
    {
        var rows = 0L;
        foreach (var file in DatasetLayout.TransactionFiles(root))
        {
            var reader = await global::Parquet.ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var _ = reader.ConfigureAwait(false);
            rows += reader.RowGroups.Sum(g => g.RowCount);
        }

        return rows;
    }
}
