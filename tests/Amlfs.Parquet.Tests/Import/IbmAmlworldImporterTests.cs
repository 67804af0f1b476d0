using Amlfs.OfflineStore;
using Amlfs.Parquet.Import;
using Amlfs.Transactions;

namespace Amlfs.Parquet.Tests.Import;

public sealed class IbmAmlworldImporterTests
{
    private const string Header =
        "Timestamp,From Bank,Account,To Bank,Account.1,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

    private static (List<LabeledTransaction> Rows, ImportReport Report) Import(params string[] lines)
    {
        var report = new ImportReport();
        using var reader = new StringReader(string.Join('\n', [Header, .. lines]) + "\n");
        var rows = IbmAmlworldImporter.Read(reader, "trans.csv", report).ToList();
        return (rows, report);
    }

    [Fact]
    public void A_row_maps_to_a_transfer_from_the_paying_account_to_the_receiving_account_of_the_paid_amount()
    {
        var (rows, report) = Import("2022/09/01 00:20,3208,8000F4580,1,8000F5340,99.50,Euro,120.25,US Dollar,Cheque,0");

        var row = Assert.Single(rows);
        var t = row.Transaction;
        Assert.Equal("ibm-2", t.TransactionId);
        Assert.Equal("3208:8000F4580", t.CustomerId);
        Assert.Equal("1:8000F5340", t.MerchantId);
        Assert.Equal(DestinationType.Account, t.DestinationType);
        Assert.Equal(12_025, t.AmountCents);
        Assert.Equal("USD", t.Currency);
        Assert.Equal("Cheque", t.PaymentFormat);
        Assert.Equal(new DateTimeOffset(2022, 9, 1, 0, 20, 0, TimeSpan.Zero), t.Timestamp);
        Assert.False(row.IsSuspicious);
        Assert.Equal(Typologies.None, row.Typology);
        Assert.Equal((1L, 1L, 0L), (report.RowsRead, report.Imported, report.Rejected));
    }

    [Fact]
    public void An_account_has_one_id_whether_it_pays_or_receives_and_whether_its_bank_code_is_padded()
    {
        var (rows, _) = Import(
            "2022/09/01 00:00,010,8000EBD30,0020,80011F990,10.00,Euro,10.00,Euro,ACH,0",
            "2022/09/01 00:05,20,80011F990,10,8000EBD30,9.00,Euro,9.00,Euro,ACH,0",
            "2022/09/01 00:07,000,8000A,00,8000B,9.00,Euro,9.00,Euro,ACH,0");

        Assert.Equal(
            [("10:8000EBD30", "20:80011F990"), ("20:80011F990", "10:8000EBD30"), ("0:8000A", "0:8000B")],
            rows.Select(r => (r.Transaction.CustomerId, r.Transaction.MerchantId)));
    }

    [Fact]
    public void A_laundering_row_is_suspicious_with_the_ibm_typology()
    {
        var (rows, report) = Import("2022/09/02 13:05,70,100428660,1124,800825340,389.29,US Dollar,389.29,US Dollar,Wire,1");

        var row = Assert.Single(rows);
        Assert.True(row.IsSuspicious);
        Assert.Equal("ibm_laundering", row.Typology);
        Assert.Equal(1, report.Suspicious);
        Assert.Equal(1, report.ByTypology["ibm_laundering"]);
    }

    [Theory]
    [InlineData("US Dollar", "USD")]
    [InlineData("Euro", "EUR")]
    [InlineData("Yuan", "CNY")]
    [InlineData("Yen", "JPY")]
    [InlineData("UK Pound", "GBP")]
    [InlineData("Rupee", "INR")]
    [InlineData("Ruble", "RUB")]
    [InlineData("Canadian Dollar", "CAD")]
    [InlineData("Australian Dollar", "AUD")]
    [InlineData("Swiss Franc", "CHF")]
    [InlineData("Mexican Peso", "MXN")]
    [InlineData("Brazil Real", "BRL")]
    [InlineData("Shekel", "ILS")]
    [InlineData("Saudi Riyal", "SAR")]
    [InlineData("Bitcoin", "XBT")]
    public void Currency_names_map_to_their_codes(string name, string code)
    {
        var (rows, _) = Import($"2022/09/01 00:00,1,A,2,B,10.00,{name},10.00,{name},Wire,0");

        Assert.Equal(code, Assert.Single(rows).Transaction.Currency);
    }

    [Fact]
    public void Amounts_with_more_than_two_decimals_are_rounded_half_to_even_and_counted()
    {
        var (rows, report) = Import(
            "2022/09/01 00:00,1,A,2,B,0.025852,Bitcoin,0.025852,Bitcoin,Bitcoin,0",
            "2022/09/01 00:00,1,A,2,B,0.125,Bitcoin,0.125,Bitcoin,Bitcoin,0",
            "2022/09/01 00:00,1,A,2,B,0.135,Bitcoin,0.135,Bitcoin,Bitcoin,0",
            "2022/09/01 00:00,1,A,2,B,7.5,Bitcoin,7.5,Bitcoin,Bitcoin,0");

        Assert.Equal([3L, 12L, 14L, 750L], rows.Select(r => r.Transaction.AmountCents));
        Assert.Equal(3, report.AmountsRounded);
    }

    [Fact]
    public void An_amount_that_rounds_to_zero_is_rejected_and_a_rejected_laundering_row_is_counted()
    {
        var (rows, report) = Import(
            "2022/09/01 00:00,1,A,2,B,0.003227,Bitcoin,0.003227,Bitcoin,Bitcoin,1",
            "2022/09/01 00:00,1,A,2,B,0.005,Bitcoin,0.005,Bitcoin,Bitcoin,0");

        Assert.Empty(rows);
        Assert.Equal(2, report.Rejected);
        Assert.Equal(1, report.SuspiciousRejected);
        Assert.Equal(0, report.Suspicious);
        Assert.Equal(
            ["trans.csv:2: Amount Paid: '0.003227' rounds to 0.00 XBT", "trans.csv:3: Amount Paid: '0.005' rounds to 0.00 XBT"],
            report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Malformed_rows_are_rejected_with_their_line_numbers_and_the_others_imported()
    {
        var (rows, report) = Import(
            "2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,0",
            "2022/09/01 00:00,1,A,2,B,10,US Dollar,abc,US Dollar,Wire,0",
            "2022/09/01 00:00,1,A,2,B,10,Peso,10,Peso,Wire,0",
            "01/09/2022 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,0",
            "2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,yes",
            "2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire",
            "",
            "2022/09/01 00:00,1,,2,B,10,US Dollar,10,US Dollar,Wire,0",
            "2022/09/01 00:00,1,A,2,B,10,US Dollar,-4,US Dollar,Wire,0",
            "2022/09/01 00:01,1,A,2,B,10,US Dollar,11,US Dollar,Wire,0");

        Assert.Equal(["ibm-2", "ibm-11"], rows.Select(r => r.Transaction.TransactionId));
        Assert.Equal((10L, 2L, 8L), (report.RowsRead, report.Imported, report.Rejected));
        Assert.Equal(
            [
                "trans.csv:3: Amount Paid: 'abc' is not a number",
                "trans.csv:4: Payment Currency: 'Peso' is not a known currency name",
                "trans.csv:5: Timestamp: '01/09/2022 00:00' is not a yyyy/MM/dd HH:mm time",
                "trans.csv:6: Is Laundering: 'yes' must be 0 or 1",
                "trans.csv:7: expected 11 fields, got 10",
                "trans.csv:8: empty line",
                "trans.csv:9: Account: is empty",
                "trans.csv:10: Amount Paid: '-4' must be greater than 0",
            ],
            report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Only_the_first_twenty_errors_are_kept_and_all_are_counted()
    {
        var bad = Enumerable.Repeat("2022/09/01 00:00,1,A,2,B,10,US Dollar,x,US Dollar,Wire,0", 25).ToArray();

        var (_, report) = Import(bad);

        Assert.Equal(25, report.Rejected);
        Assert.Equal(25, report.ErrorCount);
        Assert.Equal(ImportReport.MaxKeptErrors, report.Errors.Count);
    }

    [Fact]
    public void A_wrong_header_is_fatal_and_names_the_expected_one()
    {
        var report = new ImportReport();
        using var reader = new StringReader("Timestamp,From,To\n");

        var e = Assert.Throws<ImportException>(() => IbmAmlworldImporter.Read(reader, "trans.csv", report).ToList());

        Assert.StartsWith("trans.csv:1: expected the header 'Timestamp,From Bank,Account,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_fatal()
    {
        var e = Assert.Throws<ImportException>(() => IbmAmlworldImporter.ReadFile("no-such-file.csv", new ImportReport()));

        Assert.Contains("no such file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reimporting_the_same_text_gives_the_same_ids()
    {
        string[] lines = ["2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,0", "2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,0"];

        Assert.Equal(Import(lines).Rows, Import(lines).Rows);
        Assert.Equal(["ibm-2", "ibm-3"], Import(lines).Rows.Select(r => r.Transaction.TransactionId));
    }
}
