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
    /// <summary>
    /// Builds the set while a progress bar follows each of its three stages: from <paramref name="labels"/> when given,
    /// else from the store's labelled transactions that <paramref name="selection"/> picks.
    /// </summary>
    public static Task<TrainingSetSummary> BuildAsync(
        IAnsiConsole console, string root, FeaturePlan plan, EngineOptions options, LabelRows? labels, TransactionRowSelection selection,
        string output, int parallelism, CancellationToken cancellationToken) =>
        FollowAsync(console, root, write: true, progress => labels is null
            ? TrainingSetBuilder.BuildFromStoreAsync(root, plan, options, selection, output, parallelism, progress, cancellationToken)
            : TrainingSetBuilder.BuildFromLabelsAsync(root, plan, options, labels, output, parallelism, progress, cancellationToken),
            cancellationToken);

    /// <summary>Computes a transaction training set in memory while progress bars follow reading and replaying.</summary>
    public static Task<TransactionTrainingSet> ComputeAsync(
        IAnsiConsole console, string root, FeaturePlan plan, EngineOptions options, TransactionRowSelection selection, int parallelism,
        CancellationToken cancellationToken) =>
        FollowAsync(console, root, write: false,
            progress => TrainingSetBuilder.ComputeFromStoreAsync(root, plan, options, selection, parallelism, progress, cancellationToken),
            cancellationToken);

    private static async Task<T> FollowAsync<T>(
        IAnsiConsole console, string root, bool write, Func<TrainingSetProgress, Task<T>> start, CancellationToken cancellationToken)
    {
        var progress = new TrainingSetProgress();
        var storeRows = await CountRowsAsync(root, cancellationToken).ConfigureAwait(false);
        var result = default(T);
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var read = context.AddTask("Read the offline store", maxValue: Math.Max(1, storeRows));
                var replay = context.AddTask("Replay the engine", maxValue: 1);
                var writing = write ? context.AddTask("Write the training set", maxValue: 1) : null;
                var build = start(progress);
                while (!build.IsCompleted)
                {
                    read.Value = progress.Read;
                    if (progress.ReplayTotal > 0)
                    {
                        replay.MaxValue = progress.ReplayTotal;
                        replay.Value = progress.Replayed;
                    }

                    if (writing is not null && progress.WriteTotal > 0)
                    {
                        writing.MaxValue = progress.WriteTotal;
                        writing.Value = progress.Written;
                    }

                    await Task.WhenAny(build, Task.Delay(100, cancellationToken)).ConfigureAwait(false);
                }

                result = await build.ConfigureAwait(false);
                foreach (var task in new[] { read, replay, writing })
                {
                    if (task is not null)
                        task.Value = task.MaxValue;
                }
            }).ConfigureAwait(false);
        return result!;
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
