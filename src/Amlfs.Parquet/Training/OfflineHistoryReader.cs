using System.Collections.Concurrent;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Registry;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Training;

/// <summary>
/// Reads the offline store for a replay: only the columns the replay needs, column by column into one array per
/// column (no object per transaction), row groups in parallel, then into event-time order. A day may hold several
/// files (generated rows, rows rolled from the log later), so the concatenation is sorted when it is not already in
/// order: stably, so that equal times keep file order.
/// </summary>
public static class OfflineHistoryReader
{
    /// <summary>
    /// Reads every transaction under <paramref name="root"/> with the string columns of <paramref name="fields"/>
    /// (transaction id, time and amount always). <paramref name="progress"/> receives rows read, from any thread.
    /// </summary>
    /// <exception cref="InvalidDataException">A file lacks a required column or holds a null where none may be.</exception>
    public static async Task<OfflineHistory> ReadAsync(
        string root, IReadOnlyCollection<TransactionField> fields, int parallelism, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(fields);
        var files = DatasetLayout.TransactionFiles(root);
        var units = new List<(string File, int Group, long Offset, int Rows)>();
        var total = 0L;
        foreach (var file in files)
        {
            var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var _ = reader.ConfigureAwait(false);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var rows = checked((int)reader.RowGroups[g].RowCount);
                units.Add((file, g, total, rows));
                total += rows;
            }
        }

        var n = checked((int)total);
        var columns = new Columns(n, fields.Where(f => f != TransactionField.Amount).Distinct().ToArray());
        await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (unit, ct) =>
            {
                var reader = await ParquetReader.CreateAsync(unit.File, cancellationToken: ct).ConfigureAwait(false);
                await using var _ = reader.ConfigureAwait(false);
                using var group = reader.OpenRowGroupReader(unit.Group);
                await columns.ReadAsync(group, reader.Schema, unit.File, (int)unit.Offset, unit.Rows, ct).ConfigureAwait(false);
                progress?.Report(unit.Rows);
            }).ConfigureAwait(false);

        columns.SortByTime();
        var history = new ReplayHistory(columns.Times, columns.Cents, columns.Ids, columns.IdFingerprints, columns.Fields);
        return new OfflineHistory(history, columns.Suspicious, columns.Typologies, files.Count);
    }

    /// <summary>One array per column for the whole store; row groups fill disjoint ranges, so in parallel.</summary>
    private sealed class Columns(int n, TransactionField[] fields)
    {
        public long[] Times { get; private set; } = new long[n];
        public long[] Cents { get; private set; } = new long[n];
        public string?[] Ids { get; private set; } = new string?[n];
        public UInt128[] IdFingerprints { get; private set; } = new UInt128[n];
        public Dictionary<TransactionField, string?[]> Fields { get; } = fields.ToDictionary(f => f, _ => new string?[n]);
        public bool?[] Suspicious { get; private set; } = new bool?[n];
        public string?[] Typologies { get; private set; } = new string?[n];

        private readonly ConcurrentDictionary<string, string> _interned = new(StringComparer.Ordinal);

        public async Task ReadAsync(ParquetRowGroupReader group, ParquetSchema schema, string file, int offset, int count, CancellationToken ct)
        {
            var byName = schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            DataField Need(DataField field) => byName.GetValueOrDefault(field.Name)
                ?? throw new InvalidDataException($"{file}: missing column '{field.Name}'");

            if (byName.GetValueOrDefault(TransactionColumns.IsSuspicious.Name) is { } labels)
            {
                if (labels.IsNullable)
                {
                    await group.ReadAsync<bool>(labels, Suspicious.AsMemory(offset, count), cancellationToken: ct).ConfigureAwait(false);
                }
                else
                {
                    var required = await TransactionParquetReader.ValuesAsync<bool>(group, labels, count, ct).ConfigureAwait(false);
                    for (var i = 0; i < count; i++)
                        Suspicious[offset + i] = required[i];
                }
            }

            // Ids as characters: a fingerprint for every row, a string only for the labelled rows a training set names.
            var ids = new ReadOnlyMemory<char>?[count];
            await group.ReadAsync<ReadOnlyMemory<char>>(Need(TransactionColumns.TransactionId), ids.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                if (ids[i] is not { } id)
                    throw new InvalidDataException($"{file}: column 'transaction_id' has a null value");
                IdFingerprints[offset + i] = ReplayHistory.TransactionIdFingerprint(id.Span);
                if (Suspicious[offset + i] is not null)
                    Ids[offset + i] = id.ToString();
            }

            foreach (var (field, values) in Fields)
            {
                var column = ColumnOf(field);
                if (byName.GetValueOrDefault(column.Name) is not { } present)
                    continue;
                if (field is TransactionField.CustomerId or TransactionField.MerchantId)
                    await ReadInternedAsync(group, present, values.AsMemory(offset, count), ct).ConfigureAwait(false);
                else
                    await group.ReadAsync(present, values.AsMemory(offset, count), cancellationToken: ct).ConfigureAwait(false);
            }

            foreach (var field in Fields.Keys)
            {
                if (!byName.ContainsKey(ColumnOf(field).Name) && !ColumnOf(field).IsNullable)
                    throw new InvalidDataException($"{file}: missing column '{ColumnOf(field).Name}'");
            }

            var amounts = await TransactionParquetReader.ValuesAsync<decimal>(group, Need(TransactionColumns.Amount), count, ct).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                var cents = amounts[i] * 100m;
                Cents[offset + i] = cents == decimal.Truncate(cents)
                    ? (long)cents
                    : throw new InvalidDataException($"{file}: amount {amounts[i]} has more than 2 decimal places");
            }

            var timestamps = await TransactionParquetReader.ValuesAsync<DateTime>(group, Need(TransactionColumns.Timestamp), count, ct).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                var t = timestamps[i].Kind == DateTimeKind.Local ? timestamps[i].ToUniversalTime() : timestamps[i];
                Times[offset + i] = (t.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
            }

            if (byName.GetValueOrDefault(TransactionColumns.Typology.Name) is { } typology)
                await ReadFewValuesAsync(group, typology, Typologies.AsMemory(offset, count), ct).ConfigureAwait(false);
        }

        /// <summary>
        /// A string column of entity ids (customers, merchants) or other repeated values: each value mapped to one shared
        /// string once read. Ten million rows then keep a few hundred thousand strings alive, not ten million that the
        /// collector would promote and trace, and the engine finds each id's entity by reference.
        /// </summary>
        private async Task ReadInternedAsync(ParquetRowGroupReader group, DataField field, Memory<string?> target, CancellationToken ct)
        {
            await group.ReadAsync(field, target, cancellationToken: ct).ConfigureAwait(false);
            var span = target.Span;
            for (var i = 0; i < span.Length; i++)
            {
                if (span[i] is { } value)
                    span[i] = _interned.GetOrAdd(value, value);
            }
        }

        /// <summary>
        /// A column of a handful of values (typologies): read as characters, so no string is made per row, each value
        /// looked up by its characters.
        /// </summary>
        private static async Task ReadFewValuesAsync(ParquetRowGroupReader group, DataField field, Memory<string?> target, CancellationToken ct)
        {
            var raw = new ReadOnlyMemory<char>?[target.Length];
            await group.ReadAsync<ReadOnlyMemory<char>>(field, raw.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var lookup = values.GetAlternateLookup<ReadOnlySpan<char>>();
            var span = target.Span;
            for (var i = 0; i < span.Length; i++)
            {
                if (raw[i] is not { } chars)
                    continue;
                if (!lookup.TryGetValue(chars.Span, out var value))
                {
                    value = chars.ToString();
                    values[value] = value;
                }

                span[i] = value;
            }
        }

        /// <summary>Stable sort by time when the files' concatenation is not in time order already.</summary>
        public void SortByTime()
        {
            if (StableOrder.ByTime(Times) is not { } order)
                return;
            Times = Permute(Times, order);
            Cents = Permute(Cents, order);
            Ids = Permute(Ids, order);
            IdFingerprints = Permute(IdFingerprints, order);
            foreach (var field in Fields.Keys.ToArray())
                Fields[field] = Permute(Fields[field], order);
            Suspicious = Permute(Suspicious, order);
            Typologies = Permute(Typologies, order);
        }

        private static T[] Permute<T>(T[] values, int[] order)
        {
            var result = new T[values.Length];
            for (var i = 0; i < order.Length; i++)
                result[i] = values[order[i]];
            return result;
        }

        private static DataField ColumnOf(TransactionField field) => field switch
        {
            TransactionField.CustomerId => TransactionColumns.CustomerId,
            TransactionField.MerchantId => TransactionColumns.MerchantId,
            TransactionField.IpAddress => TransactionColumns.IpAddress,
            TransactionField.DeviceId => TransactionColumns.DeviceId,
            TransactionField.Country => TransactionColumns.Country,
            TransactionField.Channel => TransactionColumns.Channel,
            TransactionField.PaymentFormat => TransactionColumns.PaymentFormat,
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }
}
