using System.Text.Json;
using Amlfs.Cases;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Labels;
using Amlfs.Scoring;
using DuckDB.NET.Data;

namespace Amlfs.Cli.Tests.Commands;

/// <summary><c>amlfs labels export</c> over a label table that a closed case and a labels file wrote.</summary>
public sealed class LabelsCommandTests : IDisposable
{
    private static readonly long ClosedAt = new DateTimeOffset(2026, 3, 14, 15, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly CliHarness _cli = new();

    public LabelsCommandTests()
    {
        var data = _cli.PathOf("data");
        using (var book = CaseBook.Open(DatasetLayout.CasesDirectory(data)))
        {
            book.FileAlert("customer", "CUST_1", Alert(1, "T1"), ClosedAt - 60_000);
            book.FileAlert("customer", "CUST_1", Alert(2, "T2") with { Typology = "structuring" }, ClosedAt - 30_000);
            var closed = book.Transition(1, CaseStatus.Closed, CaseDisposition.LaunderingConfirmed, null, "ana", ClosedAt).Case!;
            LabelTable.AppendAsync(data, CaseLabels.Of(closed), TimeProvider.System).GetAwaiter().GetResult();
        }

        LabelTable.AppendAsync(data, [new LabelRecord("T0, \"old\"", false, Typologies.None, ClosedAt - 86_400_000, "labels.csv")], TimeProvider.System).GetAwaiter().GetResult();
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Csv_lists_every_label_in_order_of_knowledge_with_the_customer_and_case_of_those_a_case_gave()
    {
        var result = _cli.Run("labels", "export", "--data-dir", "data");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(
        [
            "transaction_id,customer_id,label,typology,known_at,source,case_id",
            "\"T0, \"\"old\"\"\",,0,,2026-03-13T15:30:00.000Z,labels.csv,",
            "T1,CUST_1,1,,2026-03-14T15:30:00.000Z,case:CASE-000001,CASE-000001",
            "T2,CUST_1,1,structuring,2026-03-14T15:30:00.000Z,case:CASE-000001,CASE-000001",
        ], result.OutputLines);
    }

    [Fact]
    public void Jsonl_within_a_period_holds_only_the_labels_known_in_it()
    {
        var result = _cli.Run("labels", "export", "--data-dir", "data", "--format", "jsonl", "--from", "2026-03-14", "--to", "2026-03-15");

        Assert.True(result.ExitCode == 0, result.Error);
        var rows = result.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["T1", "T2"], rows.Select(r => r.GetProperty("transaction_id").GetString()));
        Assert.All(rows, r => Assert.Equal((1, "CUST_1", "CASE-000001", "2026-03-14T15:30:00.000Z"),
            (r.GetProperty("label").GetInt32(), r.GetProperty("customer_id").GetString(), r.GetProperty("case_id").GetString(), r.GetProperty("known_at").GetString())));
    }

    [Fact]
    public void Parquet_goes_to_a_file_that_duckdb_reads_and_needs_an_output()
    {
        var refused = _cli.Run("labels", "export", "--data-dir", "data", "--format", "parquet");
        var result = _cli.Run("labels", "export", "--data-dir", "data", "--format", "parquet", "--output", "labels.parquet");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--output", refused.Error, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.Error);
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"select count(*)::bigint, sum(label::int)::bigint, count(case_id)::bigint from read_parquet('{_cli.PathOf("labels.parquet")}')";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((3L, 2L, 2L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    private static CaseAlert Alert(long sequence, string transaction) =>
        new(sequence, "high_risk_decision", "HIGH decision", ClosedAt - 60_000, transaction, "CUST_1", "M", ClosedAt - 120_000, 0.9, RiskLevel.High, "rules-1");
}
