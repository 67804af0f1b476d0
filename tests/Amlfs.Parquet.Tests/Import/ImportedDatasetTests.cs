using Amlfs.OfflineStore;
using Amlfs.Parquet.Import;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Tests.Import;

/// <summary>The two public datasets of tests/data, imported whole into an offline store and read back.</summary>
public sealed class ImportedDatasetTests : IDisposable
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "data");

    private readonly TempDirectory _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task The_ibm_sample_imports_with_its_bitcoin_dust_rejected_and_reads_back_from_sixteen_days()
    {
        var report = new ImportReport();
        var rows = IbmAmlworldImporter.ReadFile(Path.Combine(Data, "ibm-amlworld-hi-small-sample.csv"), report);
        var written = await OfflineStoreImport.WriteAsync(_store.Path, rows, replace: false);

        Assert.Equal(28_374, report.RowsRead);
        Assert.Equal(27_113, report.Imported);
        Assert.Equal(1_261, report.Rejected); // Bitcoin amounts below half a cent
        Assert.All(report.Errors, e => Assert.EndsWith("rounds to 0.00 XBT", e.Message, StringComparison.Ordinal));
        Assert.Equal(184, report.Suspicious);
        Assert.Equal(1, report.SuspiciousRejected); // 185 laundering rows in the file; line 15517 is 0.003227 BTC
        Assert.Equal(11_819, report.AmountsRounded);
        Assert.Equal(16, written.Days);
        Assert.Equal(new DateTimeOffset(2022, 9, 1, 0, 0, 0, TimeSpan.Zero), written.First);
        Assert.Equal(new DateTimeOffset(2022, 9, 17, 2, 45, 0, TimeSpan.Zero), written.Last);

        var read = await ReadStoreAsync();
        Assert.Equal(rows.Count, read.Count);
        Assert.Equal(
            new LabeledTransaction(
                new Transaction
                {
                    TransactionId = "ibm-2",
                    CustomerId = "10:8000EBD30",
                    MerchantId = "10:8000EBD30",
                    AmountCents = 369_734,
                    Currency = "USD",
                    TimestampMs = new DateTimeOffset(2022, 9, 1, 0, 20, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
                    PaymentFormat = "Reinvestment",
                    DestinationType = DestinationType.Account,
                },
                false,
                Typologies.None),
            read["ibm-2"]);
        var bitcoin = read["ibm-16023"]; // 1.729459 BTC, laundering
        Assert.Equal(("70:100428A51", "254242:813CC3021", 173L, "XBT", "Bitcoin"),
            (bitcoin.Transaction.CustomerId, bitcoin.Transaction.MerchantId, bitcoin.Transaction.AmountCents, bitcoin.Transaction.Currency, bitcoin.Transaction.PaymentFormat));
        Assert.Equal((true, "ibm_laundering"), (bitcoin.IsSuspicious, bitcoin.Typology)); // no patterns file
        Assert.Equal(new Dictionary<string, long> { ["ibm_laundering"] = 184 }, report.ByTypology);
        Assert.Equal(38_976_939, read["ibm-4744"].Transaction.AmountCents);
        Assert.All(read.Values, r => Assert.Equal(DestinationType.Account, r.Transaction.DestinationType));
        // One account, one id: 12:80052F960 receives a cheque on line 2599 and pays it on line 4868.
        Assert.Equal("12:80052F960", read["ibm-2599"].Transaction.MerchantId);
        Assert.Equal("12:80052F960", read["ibm-4868"].Transaction.CustomerId);
        Assert.False(read.ContainsKey("ibm-15517"));
    }

    [Fact]
    public async Task The_amlsim_run_imports_whole_over_149_days_from_the_start_date()
    {
        var report = new ImportReport();
        var rows = AmlsimImporter.ReadDirectory(Path.Combine(Data, "amlsim-20k-fanin200"), new AmlsimOptions(), report);
        var written = await OfflineStoreImport.WriteAsync(_store.Path, rows, replace: false);

        Assert.Equal((118_250L, 118_250L, 0L, 0L), (report.RowsRead, report.Imported, report.Rejected, report.ErrorCount));
        Assert.Equal(3_435, report.Suspicious);
        // The run has no alert files; its metadata.txt says "patterns: 200 fan-in", its one kind.
        Assert.Equal(new Dictionary<string, long> { [Typologies.FanIn] = 3_435 }, report.ByTypology);
        Assert.Equal((0L, 3_435L), (report.Matched, report.Unmatched));
        Assert.Equal(
            ["suspicious transfers tied to no alert (the run has no alert files): 3,435; labelled fan_in, the one pattern kind metadata.txt names"],
            report.Notes);
        Assert.Equal(149, written.Days);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), written.First);
        Assert.Equal(new DateTimeOffset(2026, 6, 2, 23, 28, 0, TimeSpan.Zero), written.Last); // the 45th of 45 rows of step 149
        Assert.EndsWith(Path.Combine("date=2026-01-05", "part-00000.parquet"), written.Files[0], StringComparison.Ordinal);
        Assert.EndsWith(Path.Combine("date=2026-06-02", "part-00000.parquet"), written.Files[^1], StringComparison.Ordinal);

        var read = await ReadStoreAsync();
        Assert.Equal(rows.Count, read.Count);
        Assert.Equal(
            new LabeledTransaction(
                new Transaction
                {
                    TransactionId = "amlsim-2",
                    CustomerId = "ACCT_360",
                    MerchantId = "ACCT_18984",
                    AmountCents = 10_355,
                    Currency = "BRL",
                    TimestampMs = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
                    DestinationType = DestinationType.Account,
                },
                false,
                Typologies.None),
            read["amlsim-2"]);
        Assert.All(read.Values, r => Assert.Equal(DestinationType.Account, r.Transaction.DestinationType));
        // Line 36 is the 11th of the 31 rows of step 3, both of its accounts fraud nodes.
        var fanIn = read["amlsim-36"];
        Assert.Equal(("ACCT_128", "ACCT_9951", 391L), (fanIn.Transaction.CustomerId, fanIn.Transaction.MerchantId, fanIn.Transaction.AmountCents));
        Assert.Equal(new DateTimeOffset(2026, 1, 7, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(10 * 86_400_000L / 31), fanIn.Transaction.Timestamp);
        Assert.Equal((true, Typologies.FanIn), (fanIn.IsSuspicious, fanIn.Typology));
    }

    [Fact]
    public async Task Existing_partitions_are_replaced_only_when_asked()
    {
        var rows = IbmAmlworldImporter.Read(
            new StringReader(string.Join(',', IbmAmlworldImporter.Header) + "\n2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,0\n"),
            "trans.csv", new ImportReport()).ToList();
        await OfflineStoreImport.WriteAsync(_store.Path, rows, replace: false);
        var stale = Path.Combine(DatasetLayout.PartitionDirectory(_store.Path, new DateOnly(2022, 9, 1)), "part-00001.parquet");
        await File.WriteAllTextAsync(stale, "stale");
        var other = DatasetLayout.PartitionFile(_store.Path, new DateOnly(2022, 8, 31));
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        await File.WriteAllTextAsync(other, "another day");

        var e = await Assert.ThrowsAsync<ImportException>(() => OfflineStoreImport.WriteAsync(_store.Path, rows, replace: false));
        var replaced = await OfflineStoreImport.WriteAsync(_store.Path, rows, replace: true);

        Assert.Contains("already holds partitions of 1 imported day(s) (2022-09-01); pass --force", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, replaced.PartitionsReplaced);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other));
    }

    private async Task<Dictionary<string, LabeledTransaction>> ReadStoreAsync()
    {
        var read = new Dictionary<string, LabeledTransaction>(StringComparer.Ordinal);
        await foreach (var row in TransactionParquetReader.ReadDatasetAsync(_store.Path))
            read.Add(row.Transaction.TransactionId, row);
        return read;
    }
}
