using System.Runtime.CompilerServices;
using Amlfs.OfflineStore;
using Amlfs.Transactions;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet;

/// <summary>
/// Reads transaction files back, one row group at a time. Columns are found by name, so files written by other tools
/// (DuckDB's COPY, for one) read too: the five columns a transaction needs are required, the others may be missing
/// (a missing label reads as unlabelled). Timestamps that Parquet.Net returns without a kind are UTC instants.
/// </summary>
public static class TransactionParquetReader
{
    /// <summary>Every transaction of one file, in file order.</summary>
    public static async Task<IReadOnlyList<LabeledTransaction>> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var result = new List<LabeledTransaction>();
        await foreach (var row in ReadFileRowsAsync(path, cancellationToken).ConfigureAwait(false))
            result.Add(row);
        return result;
    }

    /// <summary>Every transaction of one file as a stream, one row group in memory at a time.</summary>
    public static async IAsyncEnumerable<LabeledTransaction> ReadFileRowsAsync(
        string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = new FileFields(reader.Schema, path);
            foreach (var group in reader.RowGroups)
            {
                var rows = await ReadGroupAsync(group, fields, cancellationToken).ConfigureAwait(false);
                foreach (var row in rows)
                    yield return row;
            }
        }
    }

    /// <summary>
    /// Every transaction under a dataset root (<c>DIR/transactions/date=*/</c>), partition by partition in date order.
    /// For files written by <see cref="TransactionParquetWriter.WriteDayAsync"/> that is global time order.
    /// </summary>
    public static async IAsyncEnumerable<LabeledTransaction> ReadDatasetAsync(
        string root, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var file in DatasetLayout.TransactionFiles(root))
        {
            await foreach (var row in ReadFileRowsAsync(file, cancellationToken).ConfigureAwait(false))
                yield return row;
        }
    }

    private static async Task<LabeledTransaction[]> ReadGroupAsync(
        ParquetRowGroupReader group, FileFields f, CancellationToken cancellationToken)
    {
        var count = checked((int)group.RowCount);
        var ids = await StringsAsync(group, f.TransactionId, count, cancellationToken).ConfigureAwait(false);
        var customers = await StringsAsync(group, f.CustomerId, count, cancellationToken).ConfigureAwait(false);
        var merchants = await StringsAsync(group, f.MerchantId, count, cancellationToken).ConfigureAwait(false);
        var amounts = await ValuesAsync<decimal>(group, f.Amount, count, cancellationToken).ConfigureAwait(false);
        var timestamps = await ValuesAsync<DateTime>(group, f.Timestamp, count, cancellationToken).ConfigureAwait(false);
        var currencies = await StringsAsync(group, f.Currency, count, cancellationToken).ConfigureAwait(false);
        var ips = await StringsAsync(group, f.IpAddress, count, cancellationToken).ConfigureAwait(false);
        var channels = await StringsAsync(group, f.Channel, count, cancellationToken).ConfigureAwait(false);
        var devices = await StringsAsync(group, f.DeviceId, count, cancellationToken).ConfigureAwait(false);
        var countries = await StringsAsync(group, f.Country, count, cancellationToken).ConfigureAwait(false);
        var formats = await StringsAsync(group, f.PaymentFormat, count, cancellationToken).ConfigureAwait(false);
        var suspicious = await NullablesAsync<bool>(group, f.IsSuspicious, count, cancellationToken).ConfigureAwait(false);
        var typologies = await StringsAsync(group, f.Typology, count, cancellationToken).ConfigureAwait(false);
        var sequences = await NullablesAsync<long>(group, f.LogSequence, count, cancellationToken).ConfigureAwait(false);
        var destinationTypes = await StringsAsync(group, f.DestinationType, count, cancellationToken).ConfigureAwait(false);

        var rows = new LabeledTransaction[count];
        for (var i = 0; i < count; i++)
        {
            var transaction = new Transaction
            {
                TransactionId = Required(ids![i], f.TransactionId),
                CustomerId = Required(customers![i], f.CustomerId),
                MerchantId = Required(merchants![i], f.MerchantId),
                AmountCents = Cents(amounts[i]),
                Currency = currencies?[i] ?? TransactionValidator.DefaultCurrency,
                TimestampMs = UnixMilliseconds(timestamps[i]),
                IpAddress = ips?[i],
                Channel = channels?[i],
                DeviceId = devices?[i],
                Country = countries?[i],
                PaymentFormat = formats?[i],
                DestinationType = DestinationTypeOf(destinationTypes?[i], f.DestinationType),
            };
            rows[i] = new LabeledTransaction(transaction, suspicious?[i], typologies?[i] ?? Typologies.None)
            {
                LogSequence = sequences?[i],
            };
        }

        return rows;
    }

    private static async Task<string?[]?> StringsAsync(
        ParquetRowGroupReader group, DataField? field, int count, CancellationToken cancellationToken)
    {
        if (field is null)
            return null;
        var values = new string?[count];
        await group.ReadAsync(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return values;
    }

    /// <summary>An optional column of a value type whose nulls are meaningful; null when the file lacks the column.</summary>
    private static async Task<T?[]?> NullablesAsync<T>(
        ParquetRowGroupReader group, DataField? field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        if (field is null)
            return null;
        var values = new T?[count];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return values;
        }

        var required = new T[count];
        await group.ReadAsync<T>(field, required.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
            values[i] = required[i];
        return values;
    }

    /// <summary>A column of a value type, whether the file declares it nullable or not; a null is an error.</summary>
    internal static async Task<T[]> ValuesAsync<T>(
        ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        if (!field.IsNullable)
        {
            var values = new T[count];
            await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return values;
        }

        var nullable = new T?[count];
        await group.ReadAsync<T>(field, nullable.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var result = new T[count];
        for (var i = 0; i < count; i++)
            result[i] = nullable[i] ?? throw new InvalidDataException($"column '{field.Name}' has a null in row {i} of its row group");
        return result;
    }

    private static DestinationType DestinationTypeOf(string? value, DataField? field) => value is null
        ? DestinationType.Merchant
        : DestinationTypes.TryParse(value)
            ?? throw new InvalidDataException($"column '{field!.Name}' has '{value}', neither '{DestinationTypes.Merchant}' nor '{DestinationTypes.Account}'");

    private static string Required(string? value, DataField field) =>
        value ?? throw new InvalidDataException($"column '{field.Name}' has a null value");

    private static long Cents(decimal amount)
    {
        var cents = amount * 100m;
        return cents == decimal.Truncate(cents)
            ? (long)cents
            : throw new InvalidDataException($"amount {amount} has more than 2 decimal places");
    }

    /// <summary>Parquet.Net gives UTC-adjusted timestamps as Utc or Unspecified kinds: both hold UTC ticks.</summary>
    private static long UnixMilliseconds(DateTime timestamp)
    {
        if (timestamp.Kind == DateTimeKind.Local)
            timestamp = timestamp.ToUniversalTime();
        return (timestamp.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
    }

    /// <summary>The file's own fields, by the names the writer uses.</summary>
    private sealed class FileFields
    {
        public FileFields(ParquetSchema schema, string path)
        {
            var byName = schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            DataField Need(DataField field) => byName.GetValueOrDefault(field.Name)
                ?? throw new InvalidDataException($"{path}: missing column '{field.Name}'");
            DataField? Optional(DataField field) => byName.GetValueOrDefault(field.Name);

            TransactionId = Need(TransactionColumns.TransactionId);
            CustomerId = Need(TransactionColumns.CustomerId);
            MerchantId = Need(TransactionColumns.MerchantId);
            Amount = Need(TransactionColumns.Amount);
            Timestamp = Need(TransactionColumns.Timestamp);
            Currency = Optional(TransactionColumns.Currency);
            IpAddress = Optional(TransactionColumns.IpAddress);
            Channel = Optional(TransactionColumns.Channel);
            DeviceId = Optional(TransactionColumns.DeviceId);
            Country = Optional(TransactionColumns.Country);
            PaymentFormat = Optional(TransactionColumns.PaymentFormat);
            IsSuspicious = Optional(TransactionColumns.IsSuspicious);
            Typology = Optional(TransactionColumns.Typology);
            LogSequence = Optional(TransactionColumns.LogSequence);
            DestinationType = Optional(TransactionColumns.DestinationType);
        }

        public DataField TransactionId { get; }
        public DataField CustomerId { get; }
        public DataField MerchantId { get; }
        public DataField Amount { get; }
        public DataField Timestamp { get; }
        public DataField? Currency { get; }
        public DataField? IpAddress { get; }
        public DataField? Channel { get; }
        public DataField? DeviceId { get; }
        public DataField? Country { get; }
        public DataField? PaymentFormat { get; }
        public DataField? IsSuspicious { get; }
        public DataField? Typology { get; }
        public DataField? LogSequence { get; }
        public DataField? DestinationType { get; }
    }
}
