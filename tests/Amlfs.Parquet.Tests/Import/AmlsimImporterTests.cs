using Amlfs.OfflineStore;
using Amlfs.Parquet.Import;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Tests.Import;

public sealed class AmlsimImporterTests
{
    private const string Nodes = """
        nodeid,isFraud,init_balance,fraudStep
        0,0,184.44,-1
        1,1,175.80,3
        2,1,120.00,3
        3,0,50.00,-1
        """;

    private static (List<LabeledTransaction> Rows, ImportReport Report) Import(string transactions, AmlsimOptions? options = null, string nodes = Nodes)
    {
        var report = new ImportReport();
        var rows = AmlsimImporter.Read(
            new StringReader(nodes), new StringReader("sourceNodeId,targetNodeId,value,time\n" + transactions),
            options ?? new AmlsimOptions(), report).ToList();
        return (rows, report);
    }

    [Fact]
    public void A_transfer_maps_to_an_edge_between_two_accounts_a_brl_amount_and_a_line_id()
    {
        var (rows, report) = Import("0,3,103.55,1\n");

        var t = Assert.Single(rows).Transaction;
        Assert.Equal("amlsim-2", t.TransactionId);
        Assert.Equal("ACCT_0", t.CustomerId);
        Assert.Equal("ACCT_3", t.MerchantId);
        Assert.Equal(DestinationType.Account, t.DestinationType);
        Assert.Equal(10_355, t.AmountCents);
        Assert.Equal("BRL", t.Currency);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), t.Timestamp);
        Assert.Equal((1L, 1L, 0L), (report.RowsRead, report.Imported, report.Rejected));
    }

    [Fact]
    public void The_rows_of_a_day_are_spread_evenly_over_it_in_file_order()
    {
        var (rows, _) = Import("0,3,1,2\n3,0,1,1\n0,3,1,2\n0,3,1,2\n0,3,1,2\n");

        var day1 = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var day2 = day1.AddDays(1);
        Assert.Equal(
            [day2, day1, day2.AddHours(6), day2.AddHours(12), day2.AddHours(18)],
            rows.Select(r => r.Transaction.Timestamp));
    }

    [Fact]
    public void A_third_of_a_day_is_rounded_down_to_the_millisecond()
    {
        var (rows, _) = Import("0,3,1,1\n0,3,1,1\n0,3,1,1\n");

        Assert.Equal([0L, 28_800_000L, 57_600_000L], rows.Select(r => r.Transaction.TimestampMs % 86_400_000));
    }

    [Fact]
    public void Start_and_currency_options_set_the_calendar_and_the_currency()
    {
        var (rows, _) = Import("0,3,1,3\n", new AmlsimOptions { Start = new DateOnly(2024, 2, 28), Currency = "usd" });

        var t = Assert.Single(rows).Transaction;
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), t.Timestamp);
        Assert.Equal("USD", t.Currency);
    }

    [Fact]
    public void A_transfer_is_suspicious_only_between_two_fraud_accounts()
    {
        var (rows, report) = Import("1,2,10,1\n1,0,10,1\n0,2,10,1\n0,3,10,1\n");

        Assert.Equal([true, false, false, false], rows.Select(r => r.IsSuspicious));
        Assert.Equal(["amlsim_fan_in", "", "", ""], rows.Select(r => r.Typology));
        Assert.Equal(1, report.Suspicious);
    }

    [Fact]
    public void Malformed_rows_are_rejected_with_their_line_numbers_and_the_others_imported()
    {
        var (rows, report) = Import("0,3,abc,1\n0,3,10,x\n0,3,10,0\n9,3,10,1\n0,9,10,1\n0,3,10\n0,3,0.001,1\n0,3,10,1\n");

        Assert.Equal(["amlsim-9"], rows.Select(r => r.Transaction.TransactionId));
        Assert.Equal((8L, 1L, 7L), (report.RowsRead, report.Imported, report.Rejected));
        Assert.Equal(
            [
                "transactions.csv:2: value: 'abc' is not a number",
                "transactions.csv:3: time: 'x' is not a whole number",
                "transactions.csv:4: time: 0 must be a day step between 1 and 100000",
                "transactions.csv:5: sourceNodeId: '9' is not an account of nodes.csv",
                "transactions.csv:6: targetNodeId: '9' is not an account of nodes.csv",
                "transactions.csv:7: expected 4 fields, got 3",
                "transactions.csv:8: value: '0.001' rounds to 0.00 BRL",
            ],
            report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Bad_node_rows_are_errors_and_their_transfers_are_rejected()
    {
        const string nodes = "nodeid,isFraud,init_balance,fraudStep\n0,0,1,-1\n3,maybe,1,-1\n0,1,1,-1\n";

        var (rows, report) = Import("0,3,10,1\n", nodes: nodes);

        Assert.Empty(rows);
        Assert.Equal(1, report.Rejected);
        Assert.Equal(3, report.ErrorCount);
        Assert.Equal(
            [
                "nodes.csv:3: isFraud: 'maybe' must be 0 or 1",
                "nodes.csv:4: nodeid: '0' is listed twice",
                "transactions.csv:2: targetNodeId: '3' is not an account of nodes.csv",
            ],
            report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_wrong_header_is_fatal_and_names_the_expected_one()
    {
        var e = Assert.Throws<ImportException>(() => AmlsimImporter.Read(
            new StringReader(Nodes), new StringReader("src,dst,amount,step\n"), new AmlsimOptions(), new ImportReport()));

        Assert.Equal("transactions.csv:1: expected the header 'sourceNodeId,targetNodeId,value,time', got 'src,dst,amount,step'", e.Message);
    }

    [Fact]
    public void A_directory_without_nodes_is_fatal()
    {
        using var directory = new Amlfs.Testing.TempDirectory();
        directory.Write("transactions.csv", "sourceNodeId,targetNodeId,value,time\n");

        var e = Assert.Throws<ImportException>(() => AmlsimImporter.ReadDirectory(directory.Path, new AmlsimOptions(), new ImportReport()));

        Assert.Contains("no nodes.csv", e.Message, StringComparison.Ordinal);
    }
}
