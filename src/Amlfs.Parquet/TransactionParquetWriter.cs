using Amlfs.OfflineStore;
using Amlfs.Transactions;
using Parquet;
using C = Amlfs.Parquet.TransactionColumns;

namespace Amlfs.Parquet;

/// <summary>
/// Writes labelled transactions as Parquet: column arrays filled in one pass per row group, no reflection, Snappy
/// compression. Files are written beside their final path and renamed into place, so a reader never sees half a file.
/// </summary>
public static class TransactionParquetWriter
{
    /// <summary>Rows per row group: large enough for good compression and scans, small enough to bound memory.</summary>
    public const int DefaultRowGroupSize = 250_000;

    /// <summary>Writes <paramref name="rows"/> as one Parquet file to <paramref name="output"/> (writable and seekable).</summary>
    public static async Task WriteAsync(
        Stream output, IReadOnlyList<LabeledTransaction> rows, int rowGroupSize = DefaultRowGroupSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);

        await using var writer = await ParquetWriter.CreateAsync(
            C.Schema, output, WriteOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var columns = new ColumnBuffers(Math.Min(rowGroupSize, rows.Count));
        for (var offset = 0; offset < rows.Count; offset += rowGroupSize)
        {
            var count = Math.Min(rowGroupSize, rows.Count - offset);
            columns.Fill(rows, offset, count);
            using var group = writer.CreateRowGroup();
            await columns.WriteAsync(group, count, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes one UTC day to <c>DIR/transactions/date=YYYY-MM-DD/part-00000.parquet</c>, replacing that file.
    /// Every row must fall on <paramref name="date"/> (UTC). Returns the file's path.
    /// </summary>
    public static async Task<string> WriteDayAsync(
        string root, DateOnly date, IReadOnlyList<LabeledTransaction> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(rows);
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var dayEnd = dayStart + 86_400_000;
        foreach (var row in rows)
        {
            var ms = row.Transaction.TimestampMs;
            if (ms < dayStart || ms >= dayEnd)
            {
                throw new ArgumentException(
                    $"transaction {row.Transaction.TransactionId} at {row.Transaction.Timestamp:O} is not on {date:yyyy-MM-dd} (UTC)",
                    nameof(rows));
            }
        }

        var path = DatasetLayout.PartitionFile(root, date);
        await WriteFileAsync(path, stream => WriteAsync(stream, rows, DefaultRowGroupSize, cancellationToken)).ConfigureAwait(false);
        return path;
    }

    /// <summary>
    /// Snappy, and dictionary encoding decided on a sample: without the sample Parquet.Net scans every value of every
    /// column for uniqueness first, which doubles the time spent on columns of unique ids.
    /// </summary>
    internal static ParquetOptions WriteOptions() => new()
    {
        CompressionMethod = CompressionMethod.Snappy,
        DictionaryEncodingSampleSize = 10_000,
    };

    /// <summary>Writes through <paramref name="write"/> to a temporary file beside <paramref name="path"/>, then renames it.</summary>
    internal static async Task WriteFileAsync(string path, Func<Stream, Task> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: false);
            await using (stream.ConfigureAwait(false))
                await write(stream).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // no-op after the rename
        }
    }

    /// <summary>One array per column, reused across the row groups of a file.</summary>
    private sealed class ColumnBuffers(int capacity)
    {
        private readonly string[] _transactionIds = new string[capacity];
        private readonly string[] _customerIds = new string[capacity];
        private readonly string[] _merchantIds = new string[capacity];
        private readonly decimal[] _amounts = new decimal[capacity];
        private readonly string[] _currencies = new string[capacity];
        private readonly DateTime[] _timestamps = new DateTime[capacity];
        private readonly string?[] _ipAddresses = new string?[capacity];
        private readonly string?[] _channels = new string?[capacity];
        private readonly string?[] _deviceIds = new string?[capacity];
        private readonly string?[] _countries = new string?[capacity];
        private readonly string?[] _paymentFormats = new string?[capacity];
        private readonly bool?[] _suspicious = new bool?[capacity];
        private readonly string[] _typologies = new string[capacity];
        private readonly long?[] _sequences = new long?[capacity];
        private readonly string[] _destinationTypes = new string[capacity];

        public void Fill(IReadOnlyList<LabeledTransaction> rows, int offset, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var row = rows[offset + i];
                var t = row.Transaction;
                _transactionIds[i] = t.TransactionId;
                _customerIds[i] = t.CustomerId;
                _merchantIds[i] = t.MerchantId;
                _amounts[i] = t.Amount;
                _currencies[i] = t.Currency;
                _timestamps[i] = new DateTime(DateTime.UnixEpoch.Ticks + t.TimestampMs * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
                _ipAddresses[i] = t.IpAddress;
                _channels[i] = t.Channel;
                _deviceIds[i] = t.DeviceId;
                _countries[i] = t.Country;
                _paymentFormats[i] = t.PaymentFormat;
                _suspicious[i] = row.IsSuspicious;
                _typologies[i] = row.Typology;
                _sequences[i] = row.LogSequence;
                _destinationTypes[i] = DestinationTypes.Name(t.DestinationType);
            }
        }

        public async Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken)
        {
            // Columns must be written in schema order.
            await group.WriteAsync(C.TransactionId, Slice(_transactionIds, count)).ConfigureAwait(false);
            await group.WriteAsync(C.CustomerId, Slice(_customerIds, count)).ConfigureAwait(false);
            await group.WriteAsync(C.MerchantId, Slice(_merchantIds, count)).ConfigureAwait(false);
            await group.WriteAsync<decimal>(C.Amount, _amounts.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(C.Currency, Slice(_currencies, count)).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(C.Timestamp, _timestamps.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(C.IpAddress, Slice(_ipAddresses, count)).ConfigureAwait(false);
            await group.WriteAsync(C.Channel, Slice(_channels, count)).ConfigureAwait(false);
            await group.WriteAsync(C.DeviceId, Slice(_deviceIds, count)).ConfigureAwait(false);
            await group.WriteAsync(C.Country, Slice(_countries, count)).ConfigureAwait(false);
            await group.WriteAsync(C.PaymentFormat, Slice(_paymentFormats, count)).ConfigureAwait(false);
            await group.WriteAsync<bool>(C.IsSuspicious, _suspicious.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(C.Typology, Slice(_typologies, count)).ConfigureAwait(false);
            await group.WriteAsync<long>(C.LogSequence, _sequences.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(C.DestinationType, Slice(_destinationTypes, count)).ConfigureAwait(false);
            group.CompleteValidate();
        }

        private static ArraySegment<string> Slice(string?[] values, int count) => new(values!, 0, count);
    }
}
