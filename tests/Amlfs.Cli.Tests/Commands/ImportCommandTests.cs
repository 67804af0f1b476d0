namespace Amlfs.Cli.Tests.Commands;

public sealed class ImportCommandTests : IDisposable
{
    private const string IbmHeader =
        "Timestamp,From Bank,Account,To Bank,Account.1,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "data");

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void The_ibm_sample_imports_into_day_partitions_with_a_summary()
    {
        var result = _cli.Run("import", "--format", "ibm-amlworld", Path.Combine(Data, "ibm-amlworld-hi-small-sample.csv"), "--out", "store");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(_cli.WorkingDirectory, "store", "transactions", "date=2022-09-01", "part-00000.parquet")));
        Assert.Equal(16, Directory.GetDirectories(Path.Combine(_cli.WorkingDirectory, "store", "transactions")).Length);
        Assert.Contains("27,113 imported, 1,261 rejected", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Rows read\W+28,374", result.Output);
        Assert.Matches(@"Suspicious\W+184 \(1 more labelled but rejected\)", result.Output);
        Assert.Matches(@"ibm_laundering\W+184\W", result.Output);
        Assert.Matches(@"tied to their pattern\W+0 \(184 not: see the notes\)", result.Output);
        Assert.Contains("note: no patterns file: the laundering rows are labelled ibm_laundering", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Days written\W+16 \(0 replaced\)", result.Output);
        Assert.Contains("2022-09-01 00:00:00 to 2022-09-17 02:45:00 UTC", result.Output, StringComparison.Ordinal);
        Assert.Equal(21, result.ErrorLines.Length); // the first 20 errors and the line counting the rest
        Assert.Equal("... and 1,241 more errors", result.ErrorLines[^1]);
    }

    [Fact]
    public void An_amlsim_run_imports_from_the_given_start_in_the_given_currency()
    {
        var result = _cli.Run("import", "--format", "amlsim", Path.Combine(Data, "amlsim-20k-fanin200"), "--start", "2025-03-03", "--currency", "USD");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        Assert.Contains("118,250 imported, 0 rejected", result.Output, StringComparison.Ordinal);
        Assert.Contains("2025-03-03 00:00:00 to 2025-07-29 23:28:00 UTC", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Suspicious\W+3,435 \(0 more labelled but rejected\)", result.Output);
        Assert.Matches(@"fan_in\W+3,435\W", result.Output);
        Assert.Contains(
            "note: suspicious transfers tied to no alert (the run has no alert files): 3,435; labelled fan_in, the one pattern kind metadata.txt names",
            result.Output, StringComparison.Ordinal);
        Assert.Equal(149, Directory.GetDirectories(Path.Combine(_cli.WorkingDirectory, "data", "transactions")).Length);
    }

    [Fact]
    public void Existing_partitions_are_replaced_only_with_force()
    {
        var file = _cli.Write("trans.csv", IbmHeader + "\n2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,0\n");
        Assert.Equal(0, _cli.Run("import", "--format", "ibm-amlworld", file).ExitCode);

        var refused = _cli.Run("import", "--format", "ibm-amlworld", file);
        var forced = _cli.Run("import", "--format", "ibm-amlworld", file, "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already holds partitions of 1 imported day(s) (2022-09-01); pass --force to replace them", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.Matches(@"Days written\W+1 \(1 replaced\)", forced.Output);
    }

    [Fact]
    public void Rejected_rows_are_printed_with_their_line_numbers_and_the_rest_is_imported()
    {
        var file = _cli.Write("trans.csv", string.Join('\n',
            IbmHeader,
            "2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,0",
            "2022/09/01 00:00,1,A,2,B,10,US Dollar,abc,US Dollar,Wire,0",
            "2022/09/01 00:00,1,A,2,B,10,Peso,10,Peso,Wire,1") + "\n");

        var result = _cli.Run("import", "--format", "ibm-amlworld", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["trans.csv:3: Amount Paid: 'abc' is not a number", "trans.csv:4: Payment Currency: 'Peso' is not a known currency name"],
            result.ErrorLines);
        Assert.Contains("1 imported, 2 rejected", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_patterns_file_gives_each_laundering_row_the_typology_of_its_attempt()
    {
        var file = _cli.Write("trans.csv", string.Join('\n',
            IbmHeader,
            "2022/09/01 00:06,21174,800737690,12,80011F990,2848.96,Euro,2848.96,Euro,ACH,1",
            "2022/09/01 00:07,21174,800737690,12,80011F990,9.5,Euro,9.5,Euro,ACH,1",
            "2022/09/01 00:08,1,A,2,B,10,Euro,10,Euro,ACH,0") + "\n");
        var patterns = _cli.Write("HI-Small_Patterns.txt", """
            BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 16-degree Fan-Out
            2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1
            END LAUNDERING ATTEMPT - FAN-OUT

            """);

        var result = _cli.Run("import", "--format", "ibm-amlworld", file, "--patterns", patterns);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Suspicious\W+2 \(0 more labelled but rejected\)", result.Output);
        Assert.Matches(@"fan_out\W+1\W", result.Output);
        Assert.Matches(@"ibm_laundering\W+1\W", result.Output);
        Assert.Matches(@"tied to their pattern\W+1 \(1 not: see the notes\)", result.Output);
        Assert.Contains(
            "note: HI-Small_Patterns.txt: 1 laundering attempts, 1 transactions. Laundering rows found in it: 1, labelled with their attempt's typology; not found: 1, labelled ibm_laundering",
            result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_patterns_file_is_fatal_and_the_error_names_its_line()
    {
        var file = _cli.Write("trans.csv", IbmHeader + "\n2022/09/01 00:00,1,A,2,B,10,US Dollar,10,US Dollar,Wire,1\n");
        var patterns = _cli.Write("patterns.txt", "BEGIN LAUNDERING ATTEMPT - CYCLE\nEND LAUNDERING ATTEMPT - STACK\n");

        var result = _cli.Run("import", "--format", "ibm-amlworld", file, "--patterns", patterns);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: patterns.txt:2: 'END LAUNDERING ATTEMPT - STACK' ends the CYCLE attempt begun on line 1", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cli.WorkingDirectory, "data", "transactions")));
    }

    [Fact]
    public void A_file_with_no_valid_row_imports_nothing_and_fails()
    {
        var file = _cli.Write("trans.csv", IbmHeader + "\n2022/09/01 00:00,1,A,2,B,10,US Dollar,x,US Dollar,Wire,0\n");

        var result = _cli.Run("import", "--format", "ibm-amlworld", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("0 imported, 1 rejected", result.Output, StringComparison.Ordinal);
        Assert.Contains("error: nothing to import", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cli.WorkingDirectory, "data", "transactions")));
    }

    [Theory]
    [InlineData("ibm-amlworld", "missing.csv", "no such file; expected an IBM AMLworld transactions CSV file")]
    [InlineData("amlsim", "missing", "no such directory; expected an AMLSim output directory with transactions.csv (and nodes.csv, as IBM's sample runs have) or tx_log.csv")]
    public void A_missing_input_is_fatal(string format, string path, string message)
    {
        var result = _cli.Run("import", "--format", format, path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_header_is_fatal_and_names_the_expected_header()
    {
        var file = _cli.Write("trans.csv", "a,b,c\n1,2,3\n");

        var result = _cli.Run("import", "--format", "ibm-amlworld", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: trans.csv:1: expected the header 'Timestamp,From Bank,", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format", "csv", "x")]
    [InlineData("--format", "amlsim", "--currency", "DOLLAR", "x")]
    [InlineData("--format", "ibm-amlworld", "--start", "2026-01-05", "x")]
    [InlineData("--format", "amlsim", "--patterns", "patterns.txt", "x")]
    public void Bad_options_fail(params string[] args)
    {
        var result = _cli.Run(["import", .. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.NotEmpty(result.Error);
    }
}
