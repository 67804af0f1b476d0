using Amlfs.OfflineStore;
using Amlfs.Parquet.Import;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Tests.Import;

/// <summary>AMLSim runs in the layout of IBM's sample runs: transactions.csv, nodes.csv and metadata.txt.</summary>
public sealed class AmlsimImporterTests : IDisposable
{
    private const string Nodes = """
        nodeid,isFraud,init_balance,fraudStep
        0,0,184.44,-1
        1,1,175.80,3
        2,1,120.00,3
        3,0,50.00,-1
        """;

    private readonly TempDirectory _run = new();

    public void Dispose() => _run.Dispose();

    private (List<LabeledTransaction> Rows, ImportReport Report) Import(
        string transactions, AmlsimOptions? options = null, string nodes = Nodes, string? metadata = null)
    {
        _run.Write("nodes.csv", nodes);
        _run.Write("transactions.csv", "sourceNodeId,targetNodeId,value,time\n" + transactions);
        if (metadata is not null)
            _run.Write("metadata.txt", metadata);
        var report = new ImportReport();
        var rows = AmlsimImporter.ReadDirectory(_run.Path, options ?? new AmlsimOptions(), report).ToList();
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
        var (rows, report) = Import("1,2,10,1\n1,0,10,1\n0,2,10,1\n0,3,10,1\n", metadata: "patterns: 200 fan-in\n");

        Assert.Equal([true, false, false, false], rows.Select(r => r.IsSuspicious));
        Assert.Equal([Typologies.FanIn, "", "", ""], rows.Select(r => r.Typology));
        Assert.Equal(1, report.Suspicious);
    }

    [Fact]
    public void The_one_pattern_kind_of_the_metadata_labels_the_suspicious_transfers_and_the_report_says_so()
    {
        const string metadata = "nodes: 20,000 (954 fraud nodes)\ntransactions: 118,250\npatterns: 200 fan-in\n";

        var (rows, report) = Import("1,2,10,1\n2,1,10,2\n0,3,10,1\n", metadata: metadata);

        Assert.Equal([Typologies.FanIn, Typologies.FanIn, Typologies.None], rows.Select(r => r.Typology));
        Assert.Equal((2L, 0L, 2L), (report.Suspicious, report.Matched, report.Unmatched));
        Assert.Equal(
            ["suspicious transfers tied to no alert (the run has no alert files): 2; labelled fan_in, the one pattern kind metadata.txt names"],
            report.Notes);
    }

    [Theory]
    [InlineData("200 fan-in", "fan_in")]
    [InlineData("200 fan-out", "fan_out")]
    [InlineData("1,000 cycle", "cycle")]
    [InlineData("20 scatter-gather", "scatter_gather")]
    [InlineData("20 gather-scatter", "gather_scatter")]
    [InlineData("5 bipartite", "bipartite")]
    [InlineData("5 stack", "stack")]
    [InlineData("7 random", "random")]
    [InlineData("fan_in", "fan_in")]
    [InlineData("100 FAN-IN, 50 fan_in", "fan_in")]
    public void Each_metadata_kind_maps_to_its_typology(string patterns, string typology)
    {
        var (rows, report) = Import("1,2,10,1\n", metadata: $"patterns: {patterns}\n");

        Assert.Equal(typology, Assert.Single(rows).Typology);
        Assert.Equal(0, report.ErrorCount);
    }

    [Theory]
    [InlineData("patterns: 100 fan-in, 50 cycle\n", "metadata.txt names several pattern kinds (fan_in, cycle)")]
    [InlineData("patterns: 100 fan-in; 50 cycle and 3 stack\n", "metadata.txt names several pattern kinds (fan_in, cycle, stack)")]
    [InlineData("nodes: 4\n", "nothing in the run names their pattern kind")]
    [InlineData(null, "nothing in the run names their pattern kind")]
    public void Without_a_single_kind_suspicious_transfers_are_labelled_amlsim_unknown_and_the_report_says_why(string? metadata, string why)
    {
        var (rows, report) = Import("1,2,10,1\n", metadata: metadata);

        Assert.Equal(AmlsimImporter.UnknownTypology, Assert.Single(rows).Typology);
        Assert.Equal(
            [$"suspicious transfers tied to no alert (the run has no alert files): 1; labelled amlsim_unknown: {why}"],
            report.Notes);
    }

    [Fact]
    public void A_metadata_kind_of_no_typology_is_an_error_of_the_file()
    {
        var (rows, report) = Import("1,2,10,1\n", metadata: "nodes: 4\npatterns: 3 dense\n");

        Assert.Equal(AmlsimImporter.UnknownTypology, Assert.Single(rows).Typology);
        Assert.Equal(
            ["metadata.txt:2: patterns: 'dense' is not an AMLSim pattern kind (bipartite, cycle, fan_in, fan_out, gather_scatter, random, scatter_gather, stack)"],
            report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Alert_transactions_tie_a_transfer_to_its_alert_by_its_two_accounts()
    {
        _run.Write("alert_transactions.csv", """
            alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp
            7,cycle,True,11,1,2,TRANSFER,10.0,2017-01-01T00:00:00Z
            8,stack,True,12,2,1,TRANSFER,10.0,2017-01-01T00:00:00Z
            9,bipartite,True,13,2,1,TRANSFER,10.0,2017-01-02T00:00:00Z
            """);

        var (rows, report) = Import("1,2,10,1\n2,1,10,1\n", metadata: "patterns: 100 fan-in\n");

        // 2 -> 1 is in a stack and in a bipartite alert: it is tied to neither.
        Assert.Equal([Typologies.Cycle, Typologies.FanIn], rows.Select(r => r.Typology));
        Assert.Equal((1L, 1L), (report.Matched, report.Unmatched));
        Assert.Equal(
            [
                "alert_transactions.csv: 3 alerts; suspicious transfers tied to one: 1, labelled with its kind",
                "suspicious transfers tied to no alert: 1; labelled fan_in, the one pattern kind metadata.txt names",
            ],
            report.Notes);
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
    public void A_wrong_header_is_fatal_and_names_the_expected_ones()
    {
        _run.Write("nodes.csv", Nodes);
        _run.Write("transactions.csv", "src,dst,amount,step\n");

        var e = Assert.Throws<ImportException>(() => AmlsimImporter.ReadDirectory(_run.Path, new AmlsimOptions(), new ImportReport()));

        Assert.Equal(
            "transactions.csv:1: expected the header 'sourceNodeId,targetNodeId,value,time' or AMLSim's columns (tran_id,orig_acct,bene_acct,...), got 'src,dst,amount,step'",
            e.Message);
    }

    [Fact]
    public void A_directory_without_nodes_is_fatal()
    {
        _run.Write("transactions.csv", "sourceNodeId,targetNodeId,value,time\n");

        var e = Assert.Throws<ImportException>(() => AmlsimImporter.ReadDirectory(_run.Path, new AmlsimOptions(), new ImportReport()));

        Assert.Contains("no nodes.csv", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_without_transactions_is_fatal()
    {
        var e = Assert.Throws<ImportException>(() => AmlsimImporter.ReadDirectory(_run.Path, new AmlsimOptions(), new ImportReport()));

        Assert.Contains("no transactions.csv nor tx_log.csv", e.Message, StringComparison.Ordinal);
    }
}
