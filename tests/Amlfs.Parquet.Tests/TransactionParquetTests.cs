using Amlfs.OfflineStore;
using Amlfs.Synthetic;
using Amlfs.Testing;
using Amlfs.Transactions;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Tests;

public sealed class TransactionParquetTests : IDisposable
{
    private static readonly SyntheticGenerator Generator = new(new SyntheticOptions
    {
        Customers = 300,
        Merchants = 40,
        Days = 2,
        Seed = 77,
        Laundering = TypologySettings.Default.Scaled(10),
    });

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_generated_history_reads_back_unchanged_from_its_partitions()
    {
        var days = Generator.GenerateDays().ToList();
        foreach (var day in days)
            await TransactionParquetWriter.WriteDayAsync(_directory.Path, day.Date, day.Transactions);

        var read = new List<LabeledTransaction>();
        await foreach (var row in TransactionParquetReader.ReadDatasetAsync(_directory.Path))
            read.Add(row);

        var written = days.SelectMany(d => d.Transactions).ToList();
        Assert.Contains(written, r => r.Transaction.IpAddress is null);
        Assert.Contains(written, r => r.Transaction.IpAddress?.Contains(':', StringComparison.Ordinal) == true);
        Assert.Contains(written, r => r.IsSuspicious == true);
        Assert.Equal(written, read);
    }

    [Fact]
    public async Task A_transfer_to_an_account_keeps_its_destination_type()
    {
        var transfer = new LabeledTransaction(Tx.At(Tx.Utc(2026, 1, 5, 10)) with { DestinationType = DestinationType.Account }, true, "cycle");
        var payment = new LabeledTransaction(Tx.At(Tx.Utc(2026, 1, 5, 11)), false, Typologies.None);
        using var stream = new MemoryStream();

        await TransactionParquetWriter.WriteAsync(stream, [transfer, payment]);
        var path = Path.Combine(_directory.Path, "edges.parquet");
        await File.WriteAllBytesAsync(path, stream.ToArray());

        Assert.Equal([transfer, payment], await TransactionParquetReader.ReadFileAsync(path));
    }

    [Fact]
    public async Task Days_are_hive_partitioned_by_utc_date()
    {
        var day = Generator.GenerateDay(1);

        var path = await TransactionParquetWriter.WriteDayAsync(_directory.Path, day.Date, day.Transactions);

        var expected = Path.Combine(_directory.Path, "transactions", "date=2026-01-06", "part-00000.parquet");
        Assert.Equal(expected, path);
        Assert.True(File.Exists(expected));
        Assert.Equal([expected], DatasetLayout.TransactionFiles(_directory.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(expected)!, "*.tmp"));
    }

    [Fact]
    public async Task Many_row_groups_read_back_in_order()
    {
        var rows = Generator.GenerateDay(0).Transactions;
        using var stream = new MemoryStream();

        await TransactionParquetWriter.WriteAsync(stream, rows, rowGroupSize: 1_000);
        var path = Path.Combine(_directory.Path, "groups.parquet");
        await File.WriteAllBytesAsync(path, stream.ToArray());

        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal((rows.Count + 999) / 1_000, reader.RowGroupCount);
        Assert.Equal(rows, await TransactionParquetReader.ReadFileAsync(path));
    }

    [Fact]
    public async Task The_schema_keeps_exact_amounts_and_utc_millisecond_timestamps()
    {
        var day = Generator.GenerateDay(0);
        var path = await TransactionParquetWriter.WriteDayAsync(_directory.Path, day.Date, day.Transactions);

        var schema = await ParquetReader.ReadSchemaAsync(path);

        Assert.Equal(
            ["transaction_id", "customer_id", "merchant_id", "amount", "currency", "timestamp", "ip_address", "channel",
                "device_id", "country", "payment_format", "is_suspicious", "typology", "log_sequence", "destination_type"],
            schema.GetDataFields().Select(f => f.Name));
        var amount = Assert.IsType<DecimalDataField>(schema.GetDataFields()[3]);
        Assert.Equal((18, 2), (amount.Precision, amount.Scale));
        var timestamp = Assert.IsType<DateTimeDataField>(schema.GetDataFields()[5]);
        Assert.True(timestamp.IsAdjustedToUTC);
        Assert.Equal(DateTimeTimeUnit.Millis, timestamp.Unit);
    }

    [Fact]
    public async Task An_empty_day_writes_a_file_without_rows()
    {
        var path = await TransactionParquetWriter.WriteDayAsync(_directory.Path, new DateOnly(2026, 1, 5), []);

        Assert.Empty(await TransactionParquetReader.ReadFileAsync(path));
    }

    [Fact]
    public async Task A_row_from_another_day_is_refused()
    {
        var rows = Generator.GenerateDay(0).Transactions;

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => TransactionParquetWriter.WriteDayAsync(_directory.Path, new DateOnly(2026, 1, 6), rows));

        Assert.Contains("is not on 2026-01-06", error.Message, StringComparison.Ordinal);
        Assert.Empty(DatasetLayout.TransactionFiles(_directory.Path));
    }

    [Fact]
    public async Task Files_from_other_tools_read_with_timestamps_as_utc_and_missing_labels_as_unlabelled()
    {
        // As other writers produce them: every column nullable, no time zone on the timestamp, no label columns.
        var id = new DataField<string>("transaction_id", true);
        var customer = new DataField<string>("customer_id", true);
        var merchant = new DataField<string>("merchant_id", true);
        var amount = new DecimalDataField("amount", 18, 2, false, true);
        var timestamp = new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis, isNullable: true);
        var path = Path.Combine(_directory.Path, "foreign.parquet");
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, customer, merchant, amount, timestamp), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, ["T1"]);
            await group.WriteAsync(customer, ["C1"]);
            await group.WriteAsync(merchant, ["M1"]);
            await group.WriteAsync<decimal>(amount, new decimal?[] { 12.34m });
            await group.WriteAsync<DateTime>(timestamp, new DateTime?[] { new DateTime(2026, 1, 5, 12, 0, 0, 1, DateTimeKind.Unspecified) });
        }

        var row = Assert.Single(await TransactionParquetReader.ReadFileAsync(path));

        Assert.Equal(new LabeledTransaction(new Transaction
        {
            TransactionId = "T1",
            CustomerId = "C1",
            MerchantId = "M1",
            AmountCents = 1234,
            TimestampMs = new DateTimeOffset(2026, 1, 5, 12, 0, 0, 1, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        }, null, Typologies.None), row);
    }

    [Fact]
    public async Task Unlabelled_rows_and_log_sequences_read_back_as_written()
    {
        var rows = Generator.GenerateDay(0).Transactions.Take(3).ToArray();
        rows[0] = rows[0] with { IsSuspicious = null, Typology = Typologies.None, LogSequence = 41 };
        rows[1] = rows[1] with { IsSuspicious = false, LogSequence = 42 };
        var path = await TransactionParquetWriter.WriteDayAsync(_directory.Path, Generator.GenerateDay(0).Date, rows);

        var read = await TransactionParquetReader.ReadFileAsync(path);

        Assert.Equal(rows, read);
        Assert.Equal([null, false], read.Take(2).Select(r => r.IsSuspicious));
        Assert.Equal([41L, 42L, null], read.Select(r => r.LogSequence));
    }

    [Fact]
    public async Task A_file_without_a_required_column_is_refused_by_name()
    {
        var id = new DataField<string>("transaction_id", false);
        var path = Path.Combine(_directory.Path, "partial.parquet");
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, ["T1"]);
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TransactionParquetReader.ReadFileAsync(path));

        Assert.Contains("missing column 'customer_id'", error.Message, StringComparison.Ordinal);
    }
}
