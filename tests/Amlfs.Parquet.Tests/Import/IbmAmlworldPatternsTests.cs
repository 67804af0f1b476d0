using Amlfs.OfflineStore;
using Amlfs.Parquet.Import;

namespace Amlfs.Parquet.Tests.Import;

public sealed class IbmAmlworldPatternsTests
{
    private const string Header =
        "Timestamp,From Bank,Account,To Bank,Account.1,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

    // Rows in the patterns file's own spelling: zero-padded bank codes, two decimals.
    private const string Patterns = """
        BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 16-degree Fan-Out
        2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1
        2022/09/01 04:33,021174,800737690,020,80020C5B0,8630.40,Euro,8630.40,Euro,ACH,1
        END LAUNDERING ATTEMPT - FAN-OUT

        BEGIN LAUNDERING ATTEMPT - STACK
        2022/09/02 17:28,023691,8021353D0,015231,80266F880,1413.09,Euro,1413.09,Euro,ACH,1
        END LAUNDERING ATTEMPT - STACK

        BEGIN LAUNDERING ATTEMPT - BIPARTITE
        2022/09/05 08:25,023691,8021353D0,015231,80266F880,946.84,Euro,946.84,Euro,ACH,1
        END LAUNDERING ATTEMPT - BIPARTITE
        """;

    private static IbmAmlworldPatterns Read(string text) => IbmAmlworldPatterns.Read(new StringReader(text), "patterns.txt");

    private static (List<LabeledTransaction> Rows, ImportReport Report) Import(IbmAmlworldPatterns? patterns, params string[] lines)
    {
        var report = new ImportReport();
        using var reader = new StringReader(string.Join('\n', [Header, .. lines]) + "\n");
        var rows = IbmAmlworldImporter.Read(reader, "trans.csv", report, patterns).ToList();
        return (rows, report);
    }

    [Fact]
    public void A_patterns_file_is_read_as_attempts_of_transactions()
    {
        var patterns = Read(Patterns);

        Assert.Equal((3, 4), (patterns.Attempts, patterns.Rows));
        Assert.Equal("patterns.txt", patterns.FileName);
    }

    [Fact]
    public void A_laundering_row_takes_the_typology_of_its_attempt_matched_by_value_across_spellings()
    {
        // As tools rewrite IBM's files: bank codes unpadded, trailing zeros of amounts dropped.
        var (rows, report) = Import(
            Read(Patterns),
            "2022/09/01 04:33,21174,800737690,20,80020C5B0,8630.4,Euro,8630.4,Euro,ACH,1",
            "2022/09/02 17:28,23691,8021353D0,15231,80266F880,1413.09,Euro,1413.09,Euro,ACH,1",
            "2022/09/05 08:25,023691,8021353D0,015231,80266F880,946.84,Euro,946.84,Euro,ACH,1");

        Assert.Equal([Typologies.FanOut, Typologies.Stack, Typologies.Bipartite], rows.Select(r => r.Typology));
        Assert.All(rows, r => Assert.True(r.IsSuspicious));
        Assert.Equal((3L, 0L), (report.Matched, report.Unmatched));
    }

    [Fact]
    public void A_laundering_row_the_file_does_not_list_keeps_the_generic_typology_and_is_counted_unmatched()
    {
        var (rows, report) = Import(
            Read(Patterns),
            "2022/09/01 00:06,21174,800737690,12,80011F990,2848.96,Euro,2848.96,Euro,ACH,1",
            "2022/09/01 00:07,21174,800737690,12,80011F990,2848.96,Euro,2848.96,Euro,ACH,1", // another minute
            "2022/09/01 00:06,21174,800737690,12,80011F990,2848.96,Euro,2848.95,Euro,ACH,1", // another amount paid
            "2022/09/01 00:06,21174,800737690,12,80011F990,2848.96,Euro,2848.96,Euro,Wire,1"); // another format

        Assert.Equal([Typologies.FanOut, "ibm_laundering", "ibm_laundering", "ibm_laundering"], rows.Select(r => r.Typology));
        Assert.Equal((1L, 3L), (report.Matched, report.Unmatched));
        Assert.Equal(3, report.ByTypology["ibm_laundering"]);
        Assert.Equal(
            ["patterns.txt: 3 laundering attempts, 4 transactions. Laundering rows found in it: 1, labelled with their attempt's typology; not found: 3, labelled ibm_laundering"],
            report.Notes);
    }

    [Fact]
    public void A_normal_row_stays_normal_even_when_the_file_lists_it()
    {
        var (rows, report) = Import(Read(Patterns), "2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,0");

        Assert.Equal((false, Typologies.None), (rows[0].IsSuspicious, rows[0].Typology));
        Assert.Equal(0, report.Suspicious);
    }

    [Fact]
    public void Without_a_patterns_file_laundering_rows_are_labelled_ibm_laundering_and_the_report_says_so()
    {
        var (rows, report) = Import(null, "2022/09/01 00:06,21174,800737690,12,80011F990,2848.96,Euro,2848.96,Euro,ACH,1");

        Assert.Equal("ibm_laundering", Assert.Single(rows).Typology);
        Assert.Equal((0L, 1L), (report.Matched, report.Unmatched));
        Assert.Equal(["no patterns file: the laundering rows are labelled ibm_laundering"], report.Notes);
    }

    [Theory]
    [InlineData("FAN-OUT:  Max 16-degree Fan-Out", "fan_out")]
    [InlineData("FAN-IN:  Max 3-degree Fan-In", "fan_in")]
    [InlineData("CYCLE:  Max 5 hops", "cycle")]
    [InlineData("GATHER-SCATTER:  Max 2-degree Fan-In", "gather_scatter")]
    [InlineData("SCATTER-GATHER", "scatter_gather")]
    [InlineData("BIPARTITE", "bipartite")]
    [InlineData("STACK", "stack")]
    [InlineData("RANDOM:  Max 10 hops", "random")]
    public void Each_kind_maps_to_its_typology(string marker, string typology)
    {
        var kind = marker.Split(':')[0];
        var patterns = Read($"BEGIN LAUNDERING ATTEMPT - {marker}\n2022/09/01 00:00,1,A,2,B,10.00,Euro,10.00,Euro,ACH,1\nEND LAUNDERING ATTEMPT - {kind}\n");

        var (rows, _) = Import(patterns, "2022/09/01 00:00,1,A,2,B,10,Euro,10,Euro,ACH,1");

        Assert.Equal(typology, Assert.Single(rows).Typology);
    }

    [Fact]
    public void A_row_listed_in_two_attempts_keeps_the_first_ones_kind()
    {
        const string row = "2022/09/01 00:00,1,A,2,B,10.00,Euro,10.00,Euro,ACH,1";
        var patterns = Read($"BEGIN LAUNDERING ATTEMPT - CYCLE\n{row}\nEND LAUNDERING ATTEMPT - CYCLE\nBEGIN LAUNDERING ATTEMPT - STACK\n{row}\nEND LAUNDERING ATTEMPT - STACK\n");

        var (rows, _) = Import(patterns, row);

        Assert.Equal(Typologies.Cycle, Assert.Single(rows).Typology);
    }

    [Theory]
    [InlineData("BEGIN LAUNDERING ATTEMPT - CYCLE\nBEGIN LAUNDERING ATTEMPT - STACK\n",
        "patterns.txt:2: a new attempt inside the CYCLE attempt begun on line 1; expected 'END LAUNDERING ATTEMPT - CYCLE' first")]
    [InlineData("\nEND LAUNDERING ATTEMPT - CYCLE\n",
        "patterns.txt:2: 'END LAUNDERING ATTEMPT - CYCLE' ends no attempt: no 'BEGIN LAUNDERING ATTEMPT - KIND' before it")]
    [InlineData("BEGIN LAUNDERING ATTEMPT - CYCLE\nEND LAUNDERING ATTEMPT - STACK\n",
        "patterns.txt:2: 'END LAUNDERING ATTEMPT - STACK' ends the CYCLE attempt begun on line 1")]
    [InlineData("BEGIN LAUNDERING ATTEMPT - FAN-ACROSS:  Max 2 hops\n",
        "patterns.txt:1: 'FAN-ACROSS' is not a laundering pattern kind (bipartite, cycle, fan_in, fan_out, gather_scatter, random, scatter_gather, stack, in any case, with hyphens)")]
    [InlineData("BEGIN LAUNDERING ATTEMPT\n",
        "patterns.txt:1: expected 'BEGIN LAUNDERING ATTEMPT - KIND', got 'BEGIN LAUNDERING ATTEMPT'")]
    [InlineData("2022/09/01 00:00,1,A,2,B,10.00,Euro,10.00,Euro,ACH,1\n",
        "patterns.txt:1: a transaction outside any attempt; expected 'BEGIN LAUNDERING ATTEMPT - KIND' before it")]
    [InlineData("BEGIN LAUNDERING ATTEMPT - CYCLE\n2022/09/01 00:00,1,A,2,B\nEND LAUNDERING ATTEMPT - CYCLE\n",
        "patterns.txt:2: expected 11 fields, got 5")]
    [InlineData("BEGIN LAUNDERING ATTEMPT - CYCLE\n\n2022-09-01 00:00,1,A,2,B,10.00,Euro,10.00,Euro,ACH,1\n",
        "patterns.txt:3: Timestamp: '2022-09-01 00:00' is not a yyyy/MM/dd HH:mm time")]
    [InlineData("BEGIN LAUNDERING ATTEMPT - CYCLE\n2022/09/01 00:00,1,A,2,B,ten,Euro,10.00,Euro,ACH,1\n",
        "patterns.txt:2: Amount Received: 'ten' is not a number")]
    [InlineData("BEGIN LAUNDERING ATTEMPT - CYCLE\n2022/09/01 00:00,1,,2,B,10.00,Euro,10.00,Euro,ACH,1\n",
        "patterns.txt:2: Account: is empty")]
    [InlineData("BEGIN LAUNDERING ATTEMPT - CYCLE:  Max 2 hops\n2022/09/01 00:00,1,A,2,B,10.00,Euro,10.00,Euro,ACH,1\n\n",
        "patterns.txt:1: the CYCLE attempt begun here has no 'END LAUNDERING ATTEMPT' line")]
    public void A_bad_patterns_file_is_fatal_and_the_error_names_the_line(string text, string message)
    {
        var e = Assert.Throws<ImportException>(() => Read(text));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_missing_patterns_file_is_fatal()
    {
        var e = Assert.Throws<ImportException>(() => IbmAmlworldPatterns.ReadFile("no-such-patterns.txt"));

        Assert.Contains("no such file; expected an IBM AMLworld patterns file", e.Message, StringComparison.Ordinal);
    }
}
