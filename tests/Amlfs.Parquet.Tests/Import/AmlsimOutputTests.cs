using Amlfs.OfflineStore;
using Amlfs.Parquet.Import;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Tests.Import;

/// <summary>AMLSim's own outputs: the converter's transactions.csv and alert files, or the simulator's tx_log.csv.</summary>
public sealed class AmlsimOutputTests : IDisposable
{
    private const string Transactions = """
        tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id,is_frgn_trxn
        1,10,11,TRANSFER,100.5,2017-01-01T00:00:00Z,False,-1,False
        2,11,12,TRANSFER,90.25,2017-01-01T00:00:00Z,True,3,False
        3,12,10,TRANSFER,80.0,2017-01-02T00:00:00Z,True,3,False
        4,20,21,TRANSFER,70.0,2017-01-02T00:00:00Z,True,4,False
        5,21,22,TRANSFER,60.0,2017-01-02T00:00:00Z,False,5,False
        6,22,20,TRANSFER,50.0,2017-01-03T00:00:00Z,True,-1,False
        """;

    private const string AlertTransactions = """
        alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp
        3,cycle,True,2,11,12,TRANSFER,90.25,2017-01-01T00:00:00Z
        3,cycle,True,3,12,10,TRANSFER,80.0,2017-01-02T00:00:00Z
        4,fan_out,True,4,20,21,TRANSFER,70.0,2017-01-02T00:00:00Z
        5,fan_in,False,5,21,22,TRANSFER,60.0,2017-01-02T00:00:00Z
        """;

    private readonly TempDirectory _run = new();

    public void Dispose() => _run.Dispose();

    private (List<LabeledTransaction> Rows, ImportReport Report) Import(AmlsimOptions? options = null)
    {
        var report = new ImportReport();
        var rows = AmlsimImporter.ReadDirectory(_run.Path, options ?? new AmlsimOptions(), report).ToList();
        return (rows, report);
    }

    [Fact]
    public void Converted_transactions_keep_their_dates_and_their_sar_transfers_take_the_kind_of_their_alert()
    {
        _run.Write("transactions.csv", Transactions);
        _run.Write("alert_transactions.csv", AlertTransactions);

        var (rows, report) = Import();

        Assert.Equal(
            [
                (false, Typologies.None), (true, Typologies.Cycle), (true, Typologies.Cycle), (true, Typologies.FanOut),
                (false, Typologies.None), (true, AmlsimImporter.UnknownTypology),
            ],
            rows.Select(r => (r.IsSuspicious == true, r.Typology)));
        Assert.Equal((4L, 3L, 1L), (report.Suspicious, report.Matched, report.Unmatched));
        var first = rows[0].Transaction;
        Assert.Equal(("amlsim-2", "ACCT_10", "ACCT_11", DestinationType.Account, 10_050L),
            (first.TransactionId, first.CustomerId, first.MerchantId, first.DestinationType, first.AmountCents));
        Assert.Equal(
            [
                new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2017, 1, 1, 12, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2017, 1, 2, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2017, 1, 2, 8, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2017, 1, 2, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2017, 1, 3, 0, 0, 0, TimeSpan.Zero),
            ],
            rows.Select(r => r.Transaction.Timestamp));
        Assert.Equal(
            [
                "alert_transactions.csv: 3 alerts; suspicious transfers tied to one: 3, labelled with its kind",
                "suspicious transfers tied to no alert: 1; labelled amlsim_unknown: nothing in the run names their pattern kind",
            ],
            report.Notes);
    }

    [Fact]
    public void A_sar_transfer_of_no_alert_takes_the_one_kind_of_the_metadata()
    {
        _run.Write("transactions.csv", Transactions);
        _run.Write("alert_transactions.csv", AlertTransactions);
        _run.Write("metadata.txt", "patterns: 2 cycle\n");

        var (rows, _) = Import();

        Assert.Equal(Typologies.Cycle, rows[5].Typology);
    }

    [Fact]
    public void The_alert_accounts_file_alone_names_the_kind_of_each_alert()
    {
        _run.Write("transactions.csv", Transactions);
        _run.Write("alert_accounts.csv", """
            alert_id,alert_type,acct_id,acct_name,is_sar,model_id,start,end,schedule_id,bank_id
            3,cycle,10,10,True,3,0,100,2,bank_a
            3,cycle,11,11,True,3,0,100,2,bank_a
            4,fan_out,20,20,True,1,0,100,2,bank_a
            """);

        var (rows, report) = Import();

        Assert.Equal([Typologies.Cycle, Typologies.Cycle, Typologies.FanOut], rows.Where(r => r.IsSuspicious == true).Take(3).Select(r => r.Typology));
        Assert.Equal("alert_accounts.csv: 2 alerts; suspicious transfers tied to one: 3, labelled with its kind", report.Notes[0]);
    }

    [Theory]
    [InlineData("fan_in", "fan_in")]
    [InlineData("fan_out", "fan_out")]
    [InlineData("cycle", "cycle")]
    [InlineData("bipartite", "bipartite")]
    [InlineData("stack", "stack")]
    [InlineData("random", "random")]
    [InlineData("scatter_gather", "scatter_gather")]
    [InlineData("gather_scatter", "gather_scatter")]
    public void Each_alert_type_maps_to_its_typology(string alertType, string typology)
    {
        _run.Write("transactions.csv", "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n1,10,11,TRANSFER,5,2017-01-01T00:00:00Z,True,0\n");
        _run.Write("alert_transactions.csv", $"alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp\n0,{alertType},True,1,10,11,TRANSFER,5,2017-01-01T00:00:00Z\n");

        var (rows, report) = Import();

        Assert.Equal(typology, Assert.Single(rows).Typology);
        Assert.Equal(1, report.Matched);
    }

    [Fact]
    public void An_alert_type_of_no_typology_is_an_error_and_its_transfers_are_labelled_amlsim_unknown()
    {
        _run.Write("transactions.csv", "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n1,10,11,TRANSFER,5,2017-01-01T00:00:00Z,True,0\n");
        _run.Write("alert_transactions.csv", "alert_id,alert_type,tran_id\n0,dense,1\n");
        _run.Write("metadata.txt", "patterns: 1 fan-in\n");

        var (rows, report) = Import();

        Assert.Equal(AmlsimImporter.UnknownTypology, Assert.Single(rows).Typology);
        Assert.Equal((0L, 1L), (report.Matched, report.Unmatched));
        Assert.Equal(
            ["alert_transactions.csv:2: alert_type: 'dense' is not an AMLSim pattern kind (bipartite, cycle, fan_in, fan_out, gather_scatter, random, scatter_gather, stack); alert 0 is labelled amlsim_unknown"],
            report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_transfer_is_tied_by_its_transaction_id_when_its_row_names_no_alert()
    {
        _run.Write("transactions.csv", "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n41,10,11,TRANSFER,5,2017-01-01T00:00:00Z,True,-1\n");
        _run.Write("alert_transactions.csv", "alert_id,alert_type,tran_id\n2,stack,41\n");

        var (rows, _) = Import();

        Assert.Equal(Typologies.Stack, Assert.Single(rows).Typology);
    }

    [Fact]
    public void Columns_are_found_by_name_in_any_order_and_an_older_schema_names_the_flag_is_fraud()
    {
        _run.Write("transactions.csv", "tran_id,tran_timestamp,base_amt,tx_type,is_frgn_trxn,orig_acct,bene_acct,is_fraud,alert_id\n1,2017-03-04T00:00:00Z,12.5,TRANSFER,False,10,11,True,0\n");
        _run.Write("alert_transactions.csv", "alert_id,alert_type,is_fraud,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp\n0,bipartite,True,1,10,11,TRANSFER,12.5,2017-03-04T00:00:00Z\n");

        var (rows, _) = Import();

        var row = Assert.Single(rows);
        Assert.Equal((Typologies.Bipartite, "ACCT_10", "ACCT_11", 1_250L, new DateTimeOffset(2017, 3, 4, 0, 0, 0, TimeSpan.Zero)),
            (row.Typology, row.Transaction.CustomerId, row.Transaction.MerchantId, row.Transaction.AmountCents, row.Transaction.Timestamp));
    }

    [Fact]
    public void With_accounts_csv_a_transfer_naming_an_unlisted_account_is_rejected()
    {
        _run.Write("transactions.csv", Transactions);
        _run.Write("accounts.csv", "acct_id,dsply_nm,type\n10,Account10,I\n11,Account11,I\n12,Account12,I\n11,Account11,I\n");

        var (rows, report) = Import();

        Assert.Equal(["amlsim-2", "amlsim-3", "amlsim-4"], rows.Select(r => r.Transaction.TransactionId));
        Assert.Equal(3, report.Rejected);
        Assert.Equal(2, report.SuspiciousRejected);
        Assert.Equal(
            [
                "accounts.csv:5: acct_id: '11' is listed twice",
                "transactions.csv:5: orig_acct: '20' is not an account of accounts.csv",
                "transactions.csv:6: orig_acct: '21' is not an account of accounts.csv",
                "transactions.csv:7: orig_acct: '22' is not an account of accounts.csv",
            ],
            report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void The_simulator_log_is_read_by_step_from_the_start_with_cash_rejected()
    {
        _run.Write("tx_log.csv", """
            step,type,amount,nameOrig,oldbalanceOrig,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isSAR,alertID
            0,TRANSFER,10.5,1,100.0,89.5,2,0.0,10.5,0,-1
            0,CASH-IN,20.0,1,89.5,109.5,1,0.0,0.0,0,-1
            3,TRANSFER,9.0,2,10.5,1.5,3,0.0,9.0,1,6
            """);
        _run.Write("alert_accounts.csv", "alert_id,alert_type,acct_id\n6,scatter_gather,2\n6,scatter_gather,3\n");

        var (rows, report) = Import(new AmlsimOptions { Start = new DateOnly(2025, 1, 6) });

        Assert.Equal(
            [(new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero), Typologies.None), (new DateTimeOffset(2025, 1, 9, 0, 0, 0, TimeSpan.Zero), Typologies.ScatterGather)],
            rows.Select(r => (r.Transaction.Timestamp, r.Typology)));
        Assert.Equal(["tx_log.csv:3: type: 'CASH-IN' is cash, not a transfer between two accounts"], report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Malformed_rows_are_rejected_with_their_line_numbers()
    {
        _run.Write("transactions.csv", """
            tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id
            1,10,11,TRANSFER,5,2017-01-01T00:00:00Z,maybe,-1
            2,10,11,TRANSFER,5,yesterday,True,-1
            3,10,,TRANSFER,5,2017-01-01T00:00:00Z,True,-1
            4,10,11,TRANSFER,abc,2017-01-01T00:00:00Z,True,-1
            5,10,11,TRANSFER,5
            6,10,11,TRANSFER,5,20170102,false,-1
            """);

        var (rows, report) = Import();

        Assert.Equal(new DateTimeOffset(2017, 1, 2, 0, 0, 0, TimeSpan.Zero), Assert.Single(rows).Transaction.Timestamp);
        Assert.Equal((5L, 3L), (report.Rejected, report.SuspiciousRejected));
        Assert.Equal(
            [
                "transactions.csv:2: is_sar: 'maybe' must be True, False, 1 or 0",
                "transactions.csv:3: tran_timestamp: 'yesterday' is neither a date nor a day step",
                "transactions.csv:4: bene_acct: is empty",
                "transactions.csv:5: base_amt: 'abc' is not a number",
                "transactions.csv:6: expected 8 fields, got 5",
            ],
            report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_missing_column_is_fatal_and_names_it()
    {
        _run.Write("transactions.csv", "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,alert_id\n");

        var e = Assert.Throws<ImportException>(() => Import());

        Assert.Equal(
            "transactions.csv:1: no column is_sar or is_fraud or isSAR in the header 'tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,alert_id'",
            e.Message);
    }
}
