using System.Buffers.Binary;
using System.Globalization;
using Amlfs.Consistency;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Registry;
using Amlfs.Transactions;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.FeatureLog;

/// <summary>
/// The feature log in the offline store: <c>DIR/feature_log/ENTITY/date=YYYY-MM-DD/part-*.parquet</c>, partitioned by
/// the UTC day of the as-of time, one row per served vector and one nullable double column per feature (wide, so SQL
/// reads a feature by name; null where the vector did not carry it, such as request features of a features read).
/// Fixed columns: <c>entity_id</c>, <c>as_of</c>, <c>log_sequence</c>, <c>served_at</c>, <c>kind</c>
/// (<c>features</c> or <c>predict</c>), <c>request_amount</c>, and the scored transaction of a predict vector
/// (<c>request_transaction_id</c>, <c>request_customer_id</c>, <c>request_merchant_id</c>,
/// <c>request_destination_type</c>, <c>request_ip_address</c>, <c>request_device_id</c>, <c>request_channel</c>,
/// <c>request_country</c>, <c>request_payment_format</c>, <c>request_currency</c>; null otherwise, and absent from files
/// written before they were), whose fields the aggregations compared with the request read, and <c>neighbour_reads</c>:
/// for an entity type whose graph searches read other accounts, each account read and its log sequence (16 bytes a
/// read; null for other types). Each file's key-value
/// metadata <c>amlfs.dropped</c> counts the vectors the server could not log since the previous file (its buffer was full).
/// </summary>
public static class FeatureLogFiles
{
    public const string Folder = DatasetLayout.FeatureLogFolder;
    public const string DroppedKey = "amlfs.dropped";

    private static readonly DataField EntityId = new DataField<string>("entity_id", false);
    private static readonly DataField AsOf = new DateTimeDataField("as_of", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField LogSequence = new DataField<long>("log_sequence", false);
    private static readonly DataField ServedAt = new DateTimeDataField("served_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField Kind = new DataField<string>("kind", false);
    private static readonly DataField RequestAmount = new DataField<double?>("request_amount", true);
    private static readonly DataField RequestTransactionId = new DataField<string>("request_transaction_id", true);
    private static readonly DataField RequestDestination = new DataField<string>("request_destination_type", true);
    private static readonly DataField NeighbourReads = new DataField<byte[]>("neighbour_reads", true);

    /// <summary>The scored transaction's string fields, by the column that holds each.</summary>
    private static readonly (DataField Column, TransactionField Field)[] RequestFields =
    [
        (new DataField<string>("request_customer_id", true), TransactionField.CustomerId),
        (new DataField<string>("request_merchant_id", true), TransactionField.MerchantId),
        (new DataField<string>("request_ip_address", true), TransactionField.IpAddress),
        (new DataField<string>("request_device_id", true), TransactionField.DeviceId),
        (new DataField<string>("request_channel", true), TransactionField.Channel),
        (new DataField<string>("request_country", true), TransactionField.Country),
        (new DataField<string>("request_payment_format", true), TransactionField.PaymentFormat),
        (new DataField<string>("request_currency", true), TransactionField.Currency),
    ];

    private static readonly DataField[] Fixed =
        [EntityId, AsOf, LogSequence, ServedAt, Kind, RequestAmount, RequestTransactionId, RequestDestination, .. RequestFields.Select(r => r.Column), NeighbourReads];
    private static long _files;

    /// <summary>The feature log's directory under a data directory.</summary>
    public static string Directory(string root) => DatasetLayout.FeatureLogDirectory(root);

    /// <summary>
    /// Writes vectors of one entity type, one new file per UTC day of their as-of times, with columns for
    /// <paramref name="features"/> in that order (a vector's features not among them are not written).
    /// <paramref name="dropped"/> goes into the metadata of the first file. Returns the files written.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string root, string entity, IReadOnlyList<string> features,
        IReadOnlyList<LoggedVector> vectors, long dropped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(vectors);
        var written = new List<string>();
        var schema = new ParquetSchema(Fixed.Concat(features.Select(f => (Field)new DataField<double?>(f, true))).ToArray());
        var column = features.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        foreach (var day in vectors.GroupBy(v => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(v.AsOfMs).UtcDateTime)).OrderBy(g => g.Key))
        {
            var rows = day.ToArray();
            var name = string.Create(CultureInfo.InvariantCulture,
                $"part-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():D13}-{Environment.ProcessId}-{Interlocked.Increment(ref _files):D6}.parquet");
            var path = Path.Combine(Directory(root), entity, string.Create(CultureInfo.InvariantCulture, $"date={day.Key:yyyy-MM-dd}"), name);
            var droppedHere = written.Count == 0 ? dropped : 0;
            await TransactionParquetWriter.WriteFileAsync(path, stream => WriteRowsAsync(stream, schema, column, rows, droppedHere, cancellationToken)).ConfigureAwait(false);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Every logged vector under a data directory, file by file, and the vectors the files say were dropped.</summary>
    public static async Task<(IReadOnlyList<LoggedVector> Vectors, long Dropped)> ReadAsync(string root, CancellationToken cancellationToken = default)
    {
        var vectors = new List<LoggedVector>();
        long dropped = 0;
        var directory = Directory(root);
        if (!System.IO.Directory.Exists(directory))
            return (vectors, 0);
        foreach (var entityDirectory in System.IO.Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var entity = Path.GetFileName(entityDirectory);
            foreach (var file in System.IO.Directory.EnumerateFiles(entityDirectory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                dropped += await ReadFileAsync(file, entity, vectors, cancellationToken).ConfigureAwait(false);
        }

        return (vectors, dropped);
    }

    private static async Task WriteRowsAsync(Stream stream, ParquetSchema schema, Dictionary<string, int> column,
        LoggedVector[] rows, long dropped, CancellationToken cancellationToken)
    {
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, TransactionParquetWriter.WriteOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string> { [DroppedKey] = dropped.ToString(CultureInfo.InvariantCulture) };
        using var group = writer.CreateRowGroup();
        var fields = schema.GetDataFields();
        await group.WriteAsync(fields[0], rows.Select(r => r.EntityId).ToArray()).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(fields[1], rows.Select(r => Utc(r.AsOfMs)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[2], rows.Select(r => r.LogSequence).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(fields[3], rows.Select(r => Utc(r.ServedAtMs)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(fields[4], rows.Select(r => KindName(r.Kind)).ToArray()).ConfigureAwait(false);
        await group.WriteAsync<double>(fields[5], rows.Select(r => r.RequestAmount).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(fields[6], rows.Select(r => r.Request?.TransactionId).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(fields[7], rows.Select(r => r.Request is { } t ? DestinationTypes.Name(t.DestinationType) : null).ToArray()).ConfigureAwait(false);
        for (var f = 0; f < RequestFields.Length; f++)
        {
            var field = RequestFields[f].Field;
            await group.WriteAsync(fields[8 + f], rows.Select(r => r.Request is { } t ? FeatureEngine.FieldOf(t, field) : null).ToArray()).ConfigureAwait(false);
        }

        await group.WriteAsync(fields[8 + RequestFields.Length], rows.Select(r => Encode(r.Neighbours)).ToArray()).ConfigureAwait(false);
        var values = new double?[column.Count][];
        for (var c = 0; c < values.Length; c++)
            values[c] = new double?[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            for (var i = 0; i < row.Names.Count; i++)
            {
                if (column.TryGetValue(row.Names[i], out var c))
                    values[c][r] = row.Values[i];
            }
        }

        for (var c = 0; c < values.Length; c++)
            await group.WriteAsync<double>(fields[Fixed.Length + c], values[c], cancellationToken: cancellationToken).ConfigureAwait(false);
        group.CompleteValidate();
    }

    private static async Task<long> ReadFileAsync(string path, string entity, List<LoggedVector> vectors, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            var byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
            DataField Need(DataField field) => byName.GetValueOrDefault(field.Name)
                ?? throw new InvalidDataException($"{path}: missing column '{field.Name}'");
            var features = fields.Where(f => !Fixed.Any(x => x.Name == f.Name)).ToArray();
            var names = features.Select(f => f.Name).ToArray();
            foreach (var group in reader.RowGroups)
            {
                var count = checked((int)group.RowCount);
                var ids = new string?[count];
                await group.ReadAsync(Need(EntityId), ids.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var asOf = new DateTime[count];
                await group.ReadAsync<DateTime>(Need(AsOf), asOf.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var sequences = new long[count];
                await group.ReadAsync<long>(Need(LogSequence), sequences.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var servedAt = new DateTime[count];
                await group.ReadAsync<DateTime>(Need(ServedAt), servedAt.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var kinds = new string?[count];
                await group.ReadAsync(Need(Kind), kinds.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var amounts = new double?[count];
                await group.ReadAsync<double>(Need(RequestAmount), amounts.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var requests = await ReadRequestsAsync(group, byName, count, amounts, asOf, cancellationToken).ConfigureAwait(false);
                var neighbours = new byte[]?[count];
                if (byName.TryGetValue(NeighbourReads.Name, out var neighbourColumn))
                    await group.ReadAsync(neighbourColumn, neighbours.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var columns = new double?[features.Length][];
                for (var c = 0; c < features.Length; c++)
                {
                    columns[c] = new double?[count];
                    await group.ReadAsync<double>(features[c], columns[c].AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                for (var r = 0; r < count; r++)
                {
                    var row = new double?[features.Length];
                    for (var c = 0; c < features.Length; c++)
                        row[c] = columns[c][r];
                    vectors.Add(new LoggedVector(entity, ids[r] ?? throw new InvalidDataException($"{path}: null entity_id"),
                        UnixMs(asOf[r]), sequences[r], UnixMs(servedAt[r]),
                        kinds[r] == "predict" ? FeatureLogKind.Predict : FeatureLogKind.Features, amounts[r], names, row, requests?[r])
                    {
                        Neighbours = Decode(neighbours[r], path),
                    });
                }
            }

            return reader.CustomMetadata.TryGetValue(DroppedKey, out var text)
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var dropped) ? dropped : 0;
        }
    }

    /// <summary>
    /// The scored transactions of a row group's predict vectors, rebuilt from the request columns (their amount and time
    /// from <c>request_amount</c> and <c>as_of</c>); null for a file written before the columns existed.
    /// </summary>
    private static async Task<Transaction?[]?> ReadRequestsAsync(ParquetRowGroupReader group, Dictionary<string, DataField> byName,
        int count, double?[] amounts, DateTime[] asOf, CancellationToken cancellationToken)
    {
        if (!byName.TryGetValue(RequestTransactionId.Name, out var idColumn))
            return null;
        async Task<string?[]> ReadAsync(DataField column)
        {
            var values = new string?[count];
            if (byName.TryGetValue(column.Name, out var stored))
                await group.ReadAsync(stored, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return values;
        }

        var ids = await ReadAsync(idColumn).ConfigureAwait(false);
        var destinations = await ReadAsync(RequestDestination).ConfigureAwait(false);
        var fields = new string?[RequestFields.Length][];
        for (var f = 0; f < fields.Length; f++)
            fields[f] = await ReadAsync(RequestFields[f].Column).ConfigureAwait(false);
        var requests = new Transaction?[count];
        for (var r = 0; r < count; r++)
        {
            if (ids[r] is not { } id || amounts[r] is not { } amount)
                continue;
            string? Field(TransactionField field) => fields[Array.FindIndex(RequestFields, x => x.Field == field)][r];
            requests[r] = new Transaction
            {
                TransactionId = id,
                CustomerId = Field(TransactionField.CustomerId) ?? "",
                MerchantId = Field(TransactionField.MerchantId) ?? "",
                DestinationType = DestinationTypes.TryParse(destinations[r]) ?? DestinationType.Merchant,
                AmountCents = (long)Math.Round(amount * 100, MidpointRounding.AwayFromZero),
                TimestampMs = UnixMs(asOf[r]),
                IpAddress = Field(TransactionField.IpAddress),
                DeviceId = Field(TransactionField.DeviceId),
                Channel = Field(TransactionField.Channel),
                Country = Field(TransactionField.Country),
                PaymentFormat = Field(TransactionField.PaymentFormat),
                Currency = Field(TransactionField.Currency) ?? TransactionValidator.DefaultCurrency,
            };
        }

        return requests;
    }

    /// <summary>The accounts a vector's graph searches read: 16 bytes each, the fingerprint then the log sequence, little-endian.</summary>
    private static byte[]? Encode(IReadOnlyList<NeighbourRead>? reads)
    {
        if (reads is null)
            return null;
        var bytes = new byte[reads.Count * 16];
        for (var i = 0; i < reads.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 16), reads[i].Fingerprint);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((i * 16) + 8), reads[i].LogSequence);
        }

        return bytes;
    }

    private static NeighbourRead[]? Decode(byte[]? bytes, string path)
    {
        if (bytes is null)
            return null;
        if (bytes.Length % 16 != 0)
            throw new InvalidDataException($"{path}: a neighbour_reads value of {bytes.Length} bytes is not a whole number of 16-byte reads");
        var reads = new NeighbourRead[bytes.Length / 16];
        for (var i = 0; i < reads.Length; i++)
            reads[i] = new NeighbourRead(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 16)), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan((i * 16) + 8)));
        return reads;
    }

    private static string KindName(FeatureLogKind kind) => kind == FeatureLogKind.Predict ? "predict" : "features";

    private static DateTime Utc(long ms) => new(DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    private static long UnixMs(DateTime timestamp)
    {
        if (timestamp.Kind == DateTimeKind.Local)
            timestamp = timestamp.ToUniversalTime();
        return (timestamp.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
    }
}
