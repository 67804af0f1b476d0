using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Training;
using Amlfs.Registry;
using Amlfs.Synthetic;
using Amlfs.Testing;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Parquet.Tests.Training;

/// <summary>
/// The history reader decodes most columns from their pages itself and leaves the rest to Parquet.Net: whatever
/// encoding, codec or physical type a file uses, every column must read as Parquet.Net reads it
/// (<see cref="TransactionParquetReader"/> is the reference).
/// </summary>
public sealed class OfflineHistoryReaderTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 1, 6);
    private static readonly TransactionField[] Keys = [TransactionField.CustomerId, TransactionField.MerchantId];
    private static readonly TransactionField[] Counted = [TransactionField.IpAddress, TransactionField.DeviceId];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(CompressionMethod.Snappy, false)]
    [InlineData(CompressionMethod.Snappy, true)]
    [InlineData(CompressionMethod.None, false)]
    [InlineData(CompressionMethod.None, true)]
    [InlineData(CompressionMethod.Gzip, false)] // a codec the page decoding leaves to Parquet.Net
    public async Task Every_column_reads_as_parquet_net_reads_it_whatever_the_codec_and_encoding(CompressionMethod compression, bool dictionary)
    {
        var options = new ParquetOptions { CompressionMethod = compression };
        if (dictionary)
        {
            options.DictionaryEncodingThreshold = 1.0;
            foreach (var field in Schema(decimalAsBytes: false, micros: false).GetDataFields().Where(f => f is not (DecimalDataField or DateTimeDataField) && f.Name != "is_suspicious"))
                options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        }

        await WriteAsync(Rows(), options, decimalAsBytes: false, micros: false);

        await AssertReadsAsParquetNetAsync();
    }

    [Fact]
    public async Task Amounts_as_bytes_and_times_in_microseconds_read_through_parquet_net_to_the_same_values()
    {
        await WriteAsync(Rows(), new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, decimalAsBytes: true, micros: true);

        await AssertReadsAsParquetNetAsync();
    }

    [Fact]
    public async Task A_missing_optional_column_reads_as_nulls_and_a_missing_required_one_is_refused()
    {
        var path = DatasetLayout.PartitionFile(_directory.Path, Day);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var id = new DataField<string>("transaction_id", false);
        var amount = new DecimalDataField("amount", 18, 2, false, false);
        var time = new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, amount, time), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, new ArraySegment<string>(["T1"]));
            await group.WriteAsync<decimal>(amount, new[] { 1.25m }.AsMemory());
            await group.WriteAsync<DateTime>(time, new[] { DateTime.UnixEpoch.AddDays(20_000) }.AsMemory());
        }

        var history = await OfflineHistoryReader.ReadAsync(_directory.Path, [], Counted, parallelism: 1);
        Assert.Equal(Transactions.DestinationType.Merchant, history.History.DestinationOf(0)); // files from before transfers
        Assert.Equal([0ul], history.History.FieldFingerprints(TransactionField.IpAddress)!);
        Assert.Equal([125L], history.History.AmountCents);
        Assert.Equal([(bool?)null], history.IsSuspicious);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => OfflineHistoryReader.ReadAsync(_directory.Path, Keys, Counted, parallelism: 1));
        Assert.Equal($"{path}: missing column 'customer_id'", e.Message);
    }

    private async Task AssertReadsAsParquetNetAsync()
    {
        var expected = await TransactionParquetReader.ReadFileAsync(DatasetLayout.PartitionFile(_directory.Path, Day));

        var store = await OfflineHistoryReader.ReadAsync(_directory.Path, Keys, Counted, parallelism: 2);

        var history = store.History;
        Assert.Equal(expected.Count, history.Count);
        var customers = history.Field(TransactionField.CustomerId)!;
        var merchants = history.Field(TransactionField.MerchantId)!;
        for (var i = 0; i < expected.Count; i++)
        {
            var (t, label, typology) = (expected[i].Transaction, expected[i].IsSuspicious, expected[i].Typology);
            Assert.Equal(t.TimestampMs, history.TimesMs[i]);
            Assert.Equal(t.AmountCents, history.AmountCents[i]);
            Assert.Equal(ReplayHistory.TransactionIdFingerprint(t.TransactionId), history.TransactionIdFingerprints![i]);
            Assert.Equal(label is null ? null : t.TransactionId, history.TransactionIds[i]);
            Assert.Equal(label, store.IsSuspicious[i]);
            Assert.Equal(label is null ? null : typology, store.Typologies[i]);
            Assert.Equal(t.DestinationType, history.DestinationOf(i));
            Assert.Equal(t.CustomerId, customers[i]);
            Assert.Equal(t.MerchantId, merchants[i]);
            Assert.Equal(ReplayHistory.FieldFingerprint(t.CustomerId), history.FieldFingerprints(TransactionField.CustomerId)![i]);
            Assert.Equal(ReplayHistory.FieldFingerprint(t.MerchantId), history.FieldFingerprints(TransactionField.MerchantId)![i]);
            Assert.Equal(t.IpAddress is null ? 0 : ReplayHistory.FieldFingerprint(t.IpAddress), history.FieldFingerprints(TransactionField.IpAddress)![i]);
            Assert.Equal(t.DeviceId is null ? 0 : ReplayHistory.FieldFingerprint(t.DeviceId), history.FieldFingerprints(TransactionField.DeviceId)![i]);
        }

        // One string per distinct id, shared by its rows.
        Assert.All(customers.GroupBy(c => c, StringComparer.Ordinal), g => Assert.All(g, c => Assert.Same(g.First(), c)));
        Assert.Contains(customers, c => c == "CÜSTØ_ñ");
        Assert.Contains(store.IsSuspicious, l => l is null);
        Assert.Contains(expected, r => r.Transaction.IpAddress is null);
    }

    /// <summary>A generated day in time order, with ids beyond ASCII and rows without IP or device.</summary>
    private static List<LabeledTransaction> Rows()
    {
        var generator = new SyntheticGenerator(new SyntheticOptions { Customers = 200, Merchants = 30, Days = 2, Seed = 5 });
        var rows = generator.GenerateDay(1).Transactions.OrderBy(r => r.Transaction.TimestampMs).ToList();
        for (var i = 0; i < rows.Count; i += 7)
        {
            var t = rows[i].Transaction;
            rows[i] = rows[i] with
            {
                Transaction = t with
                {
                    CustomerId = i % 2 == 0 ? "CÜSTØ_ñ" : t.CustomerId,
                    IpAddress = null,
                    DeviceId = i % 3 == 0 ? null : t.DeviceId,
                    DestinationType = i % 4 == 0 ? Transactions.DestinationType.Account : t.DestinationType,
                },
                IsSuspicious = i % 5 == 0 ? null : rows[i].IsSuspicious,
            };
        }

        return rows;
    }

    /// <summary>The columns of a transaction file, with the amount and time stored as other writers may store them.</summary>
    private static ParquetSchema Schema(bool decimalAsBytes, bool micros) => new(
        new DataField<string>("transaction_id", false),
        new DataField<string>("customer_id", false),
        new DataField<string>("merchant_id", false),
        new DecimalDataField("amount", 18, 2, forceByteArrayEncoding: decimalAsBytes, isNullable: false),
        new DataField<string>("currency", false),
        new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true,
            unit: micros ? DateTimeTimeUnit.Micros : DateTimeTimeUnit.Millis, isNullable: false),
        new DataField<string>("ip_address", true),
        new DataField<string>("channel", true),
        new DataField<string>("device_id", true),
        new DataField<string>("country", true),
        new DataField<string>("payment_format", true),
        new DataField<bool?>("is_suspicious", true),
        new DataField<string>("typology", false),
        new DataField<string>("destination_type", true));

    /// <summary>Writes the rows in row groups of 700, so that a group starts mid-stream.</summary>
    private async Task WriteAsync(List<LabeledTransaction> rows, ParquetOptions options, bool decimalAsBytes, bool micros)
    {
        var path = DatasetLayout.PartitionFile(_directory.Path, Day);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var schema = Schema(decimalAsBytes, micros);
        var fields = schema.GetDataFields();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, options);
        foreach (var chunk in rows.Chunk(700))
        {
            using var group = writer.CreateRowGroup();
            var t = chunk.Select(r => r.Transaction).ToArray();
            await group.WriteAsync(fields[0], new ArraySegment<string>([.. t.Select(x => x.TransactionId)]));
            await group.WriteAsync(fields[1], new ArraySegment<string>([.. t.Select(x => x.CustomerId)]));
            await group.WriteAsync(fields[2], new ArraySegment<string>([.. t.Select(x => x.MerchantId)]));
            await group.WriteAsync<decimal>(fields[3], t.Select(x => x.Amount).ToArray().AsMemory());
            await group.WriteAsync(fields[4], new ArraySegment<string>([.. t.Select(x => x.Currency)]));
            await group.WriteAsync<DateTime>(fields[5], t.Select(x => DateTime.UnixEpoch.AddMilliseconds(x.TimestampMs)).ToArray().AsMemory());
            await group.WriteAsync(fields[6], new ArraySegment<string>([.. t.Select(x => x.IpAddress!)]));
            await group.WriteAsync(fields[7], new ArraySegment<string>([.. t.Select(x => x.Channel!)]));
            await group.WriteAsync(fields[8], new ArraySegment<string>([.. t.Select(x => x.DeviceId!)]));
            await group.WriteAsync(fields[9], new ArraySegment<string>([.. t.Select(x => x.Country!)]));
            await group.WriteAsync(fields[10], new ArraySegment<string>([.. t.Select(x => x.PaymentFormat!)]));
            await group.WriteAsync<bool>(fields[11], chunk.Select(r => r.IsSuspicious).ToArray().AsMemory());
            await group.WriteAsync(fields[12], new ArraySegment<string>([.. chunk.Select(r => r.Typology)]));
            await group.WriteAsync(fields[13], new ArraySegment<string>([.. t.Select(x => x.DestinationType == Transactions.DestinationType.Account ? "account" : null!)]));
        }
    }
}
