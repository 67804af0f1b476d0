using System.Diagnostics;
using Amlfs.Engine;
using Amlfs.Parquet.Labels;
using Amlfs.Registry;
using Amlfs.Scoring;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Training;

/// <summary>
/// Builds point-in-time training sets from the offline store by replaying the engine (<see cref="PartitionedReplay"/>)
/// over the store's whole history in event-time order: a row at t sees exactly the transactions before t, late
/// arrivals included, whatever file or order they were written in; a repeated transaction id counts once.
/// <list type="bullet">
/// <item>Default (no labels file): one row per labelled transaction of the store (unlabelled ones are history only):
/// <c>transaction_id, customer_id, merchant_id, timestamp, amount, label, typology</c>, then the columns of
/// <see cref="ModelInputLayout"/>: for every entity type the transaction names by its join key (the customer, the
/// merchant, its IP, its device...), the entity's stored features and its request features evaluated with the
/// transaction as the request (what <c>/predict</c> computes), all as of the transaction's own time; an entity the row
/// does not name (no IP) reads as unknown, as <c>/predict</c> reads it. Sorted by timestamp, then transaction id; a
/// transaction id that occurs twice gives one row.</item>
/// <item>With label rows: <c>entity, entity_id, timestamp, label</c>, then the entity's stored features. Sorted by
/// timestamp, then the rows' order in the labels file.</item>
/// </list>
/// Feature columns are doubles named as the features (a name two entities share is prefixed with the entity's).
/// </summary>
public static class TrainingSetBuilder
{
    private const int RowGroupSize = 250_000;

    /// <summary>
    /// The default training set: the labelled transactions of the store at <paramref name="root"/> that
    /// <paramref name="selection"/> picks (<see cref="TransactionRowSelection.All"/>: every one, with every label known;
    /// a <see cref="TransactionRowSelection.CutoffMs"/> leaves out the labels known at or after it).
    /// </summary>
    public static async Task<TrainingSetSummary> BuildFromStoreAsync(
        string root, FeaturePlan plan, EngineOptions options, TransactionRowSelection selection, string output, int parallelism,
        TrainingSetProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var set = await ComputeFromStoreAsync(root, plan, options, selection, parallelism, progress, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var columns = new List<(DataField Field, Func<int, int, Array> Values)>
        {
            (new DataField<string>("transaction_id"), (start, n) => set.TransactionIds[start..(start + n)]),
            (new DataField<string>("customer_id"), (start, n) => set.CustomerIds[start..(start + n)]),
            (new DataField<string>("merchant_id"), (start, n) => set.MerchantIds[start..(start + n)]),
            (new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis),
                (start, n) => Slice(start, n, i => DateTime.UnixEpoch.AddMilliseconds(set.TimesMs[i]))),
            (new DecimalDataField("amount", 18, 2), (start, n) => Slice(start, n, i => set.AmountCents[i] / 100m)),
            (new DataField<bool>("label"), (start, n) => set.Labels[start..(start + n)]),
            (new DataField<string>("typology"), (start, n) => set.Typologies[start..(start + n)]),
        };
        var width = set.FeatureNames.Count;
        for (var f = 0; f < width; f++)
        {
            var column = f;
            double[] buffer = [];
            columns.Add((new DataField<double>(set.FeatureNames[f]), (start, n) =>
            {
                // Row groups are written one after another and are of one size but the last: one buffer serves all.
                var result = buffer.Length == n ? buffer : buffer = new double[n];
                var features = set.Features;
                for (var r = 0; r < n; r++)
                    result[r] = features[(long)(start + r) * width + column];
                return result;
            }
            ));
        }

        await WriteAsync(output, columns, set.Count, progress, cancellationToken).ConfigureAwait(false);
        return set.Summary with { Write = clock.Elapsed };
    }

    /// <summary>
    /// The labelled transactions of the store at <paramref name="root"/> that <paramref name="selection"/> picks, each
    /// with the features of every entity type it names (<see cref="ModelInputLayout"/>) as of its own time, in memory (<see cref="TransactionTrainingSet"/>). The replay runs over the whole store: a row sees every
    /// transaction before it, labelled or not, inside the selected period or not.
    /// </summary>
    public static async Task<TransactionTrainingSet> ComputeFromStoreAsync(
        string root, FeaturePlan plan, EngineOptions options, TransactionRowSelection selection, int parallelism,
        TrainingSetProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(selection);
        if (plan.Entity("customer") is null)
            throw new ArgumentException("the definitions have no customer entity", nameof(plan));
        var layout = ModelInputLayout.Of(plan);
        var entities = layout.Entities;
        var clock = Stopwatch.StartNew();
        var store = await OfflineHistoryReader.ReadAsync(root, KeysOf(entities), FieldsOf(entities), parallelism, progress?.ReadProgress, cancellationToken).ConfigureAwait(false);
        var table = await LabelTable.ReadAsync(root, cancellationToken).ConfigureAwait(false);
        var labelling = TrainingLabels.Resolve(store, [.. table, .. selection.ExtraLabels], selection.CutoffMs);
        var read = clock.Elapsed;
        var history = store.History;

        // One row per labelled transaction id (its first occurrence) in the period, in (timestamp, transaction id) order.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<int>();
        for (var i = 0; i < history.Count; i++)
        {
            var t = history.TimesMs[i];
            if (labelling.IsSuspicious[i] is not null && t >= (selection.FromMs ?? long.MinValue) && t < (selection.ToMs ?? long.MaxValue)
                && seen.Add(labelling.TransactionIds[i]!))
            {
                rows.Add(i);
            }
        }

        var order = rows.ToArray();
        StableOrder.Sort(order, order.Select(i => history.TimesMs[i]).ToArray(),
            Comparer<int>.Create((a, b) => string.CompareOrdinal(labelling.TransactionIds[a], labelling.TransactionIds[b])));
        var times = order.Select(i => history.TimesMs[i]).ToArray();
        var amounts = order.Select(i => history.AmountCents[i] / 100.0).ToArray();
        // Each row is its transaction scored: every entity type it names by the join key, as of its time, request
        // features evaluated with it as the request; an entity it does not name (a row without an IP) reads as unknown.
        var queries = entities
            .Select(e => new ReplayQuery(e, order.Select(i => history.Field(e.JoinKey)![i]).ToArray(), times, amounts, order))
            .ToArray();

        progress?.StartReplay(PartitionedReplay.WorkUnits(history, queries));
        var result = PartitionedReplay.Run(plan, options, history, queries, parallelism, progress?.ReplayProgress);

        var width = layout.FeatureNames.Count;
        var features = new double[(long)order.Length * width];
        Parallel.For(0, order.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, r =>
        {
            var target = features.AsSpan(r * width, width);
            for (var g = 0; g < queries.Length; g++)
                result.Values[g].AsSpan(r * queries[g].Width, queries[g].Width).CopyTo(target[layout.Offset(g)..]);
        });
        var replay = clock.Elapsed - read;

        var merchantIds = history.Field(TransactionField.MerchantId);
        var summary = new TrainingSetSummary(
            order.Length, width, history.Count, labelling.IsSuspicious.LongCount(l => l is null), result.Duplicates, store.Files, read, replay, TimeSpan.Zero);
        return new TransactionTrainingSet(
            order.Select(i => labelling.TransactionIds[i]!).ToArray(),
            order.Select(i => history.Field(TransactionField.CustomerId)![i]!).ToArray(),
            order.Select(i => merchantIds?[i] ?? "").ToArray(),
            times,
            order.Select(i => history.AmountCents[i]).ToArray(),
            order.Select(i => labelling.IsSuspicious[i]!.Value).ToArray(),
            order.Select(i => labelling.Typologies[i] ?? "").ToArray(),
            layout.FeatureNames, features, summary, labelling);
    }

    /// <summary>A training set of the given label rows over the store at <paramref name="root"/>.</summary>
    public static async Task<TrainingSetSummary> BuildFromLabelsAsync(
        string root, FeaturePlan plan, EngineOptions options, LabelRows labels, string output, int parallelism,
        TrainingSetProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(labels);
        var entity = plan.Entity(labels.Entity)
            ?? throw new ArgumentException($"the definitions have no entity '{labels.Entity}'", nameof(labels));
        var clock = Stopwatch.StartNew();
        var store = await OfflineHistoryReader.ReadAsync(root, KeysOf([entity]), FieldsOf([entity]), parallelism, progress?.ReadProgress, cancellationToken).ConfigureAwait(false);
        var read = clock.Elapsed;
        var history = store.History;

        var order = StableOrder.ByTime(labels.AsOfMs) ?? Enumerable.Range(0, labels.Count).ToArray();
        var query = new ReplayQuery(entity, order.Select(i => labels.EntityIds[i]).ToArray(), order.Select(i => labels.AsOfMs[i]).ToArray());
        progress?.StartReplay(PartitionedReplay.WorkUnits(history, [query]));
        var result = PartitionedReplay.Run(plan, options, history, [query], parallelism, progress?.ReplayProgress);
        var replay = clock.Elapsed - read;

        var columns = new List<(DataField Field, Func<int, int, Array> Values)>
        {
            (new DataField<string>("entity"), (start, n) => Enumerable.Repeat(entity.Name, n).ToArray()),
            (new DataField<string>("entity_id"), (start, n) => Slice(order, start, n, i => (labels.OutputIds ?? labels.EntityIds)[i])),
            (new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis),
                (start, n) => Slice(order, start, n, i => DateTime.UnixEpoch.AddMilliseconds(labels.AsOfMs[i]))),
            (new DataField<bool>("label"), (start, n) => Slice(order, start, n, i => labels.Labels[i])),
        };
        var features = AddFeatureColumns(columns, query, result.Values[0]);
        await WriteAsync(output, columns, order.Length, progress, cancellationToken).ConfigureAwait(false);
        var write = clock.Elapsed - read - replay;
        var unlabelled = store.IsSuspicious.LongCount(l => l is null);
        return new TrainingSetSummary(order.Length, features, history.Count, unlabelled, result.Duplicates, store.Files, read, replay, write);
    }

    /// <summary>The string columns read as strings: the entities' join keys, and the merchant id a default row names.</summary>
    private static TransactionField[] KeysOf(IEnumerable<EntityPlan> entities) =>
        entities.Select(e => e.JoinKey).Append(TransactionField.MerchantId).Distinct().ToArray();

    /// <summary>The string columns the entities' features read: join keys and distinct-count fields.</summary>
    private static TransactionField[] FieldsOf(IEnumerable<EntityPlan> entities) =>
        entities.SelectMany(PartitionedReplay.FieldsRead).Distinct().ToArray();

    private static int AddFeatureColumns(List<(DataField Field, Func<int, int, Array> Values)> columns, ReplayQuery query, double[] matrix)
    {
        var names = ModelInputLayout.ColumnNames([(query.Entity.Name, query.Entity.Features.Select(f => f.Name).ToArray())], columns.Select(c => c.Field.Name));
        var width = query.Width;
        for (var f = 0; f < names.Count; f++)
        {
            var column = f;
            columns.Add((new DataField<double>(names[f]), (start, n) =>
            {
                var result = new double[n];
                for (var r = 0; r < n; r++)
                    result[r] = matrix[(long)(start + r) * width + column];
                return result;
            }
            ));
        }

        return names.Count;
    }

    private static T[] Slice<T>(int start, int count, Func<int, T> value)
    {
        var result = new T[count];
        for (var r = 0; r < count; r++)
            result[r] = value(start + r);
        return result;
    }

    private static T[] Slice<T>(int[] order, int start, int count, Func<int, T> value)
    {
        var result = new T[count];
        for (var r = 0; r < count; r++)
            result[r] = value(order[start + r]);
        return result;
    }

    private static async Task WriteAsync(
        string output, List<(DataField Field, Func<int, int, Array> Values)> columns, int rows, TrainingSetProgress? progress,
        CancellationToken cancellationToken)
    {
        progress?.StartWrite(rows);
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        await TransactionParquetWriter.WriteFileAsync(Path.GetFullPath(output), async stream =>
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, TransactionParquetWriter.WriteOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var start = 0; start < rows || start == 0; start += RowGroupSize)
            {
                var n = Math.Min(RowGroupSize, rows - start);
                // Columns of a row group are built in parallel and written in schema order.
                var arrays = new Array[columns.Count];
                Parallel.For(0, columns.Count, c => arrays[c] = columns[c].Values(start, n));
                using var group = writer.CreateRowGroup();
                for (var c = 0; c < columns.Count; c++)
                    await WriteColumnAsync(group, columns[c].Field, arrays[c], cancellationToken).ConfigureAwait(false);
                group.CompleteValidate();
                progress?.AddWritten(n);
                if (rows == 0)
                    break;
            }
        }).ConfigureAwait(false);
    }

    private static Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, Array values, CancellationToken cancellationToken) => values switch
    {
        string[] s => group.WriteAsync(field, new ArraySegment<string>(s)),
        double[] d => group.WriteAsync<double>(field, d.AsMemory(), cancellationToken: cancellationToken),
        DateTime[] t => group.WriteAsync<DateTime>(field, t.AsMemory(), cancellationToken: cancellationToken),
        decimal[] m => group.WriteAsync<decimal>(field, m.AsMemory(), cancellationToken: cancellationToken),
        bool[] b => group.WriteAsync<bool>(field, b.AsMemory(), cancellationToken: cancellationToken),
        _ => throw new InvalidOperationException(values.GetType().Name),
    };
}
