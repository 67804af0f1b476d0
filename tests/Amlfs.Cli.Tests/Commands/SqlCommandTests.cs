using System.Text.Json;
using Amlfs.Audit;
using Amlfs.DuckDb;
using Amlfs.OfflineStore;
using Amlfs.Parquet;
using Amlfs.Parquet.Roll;
using Amlfs.Privacy;
using Amlfs.Security;
using Amlfs.Storage;
using Amlfs.Testing;
using DuckDB.NET.Data;

namespace Amlfs.Cli.Tests.Commands;

/// <summary><c>amlfs sql</c> with DuckDB over a generated offline store.</summary>
public sealed class SqlCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public SqlCommandTests()
    {
        var generated = _cli.Run("generate", "--customers", "300", "--merchants", "30", "--days", "2", "--out", _cli.PathOf("data"));
        Assert.True(generated.ExitCode == 0, generated.Error);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Counts_and_sums_agree_with_the_parquet_files()
    {
        var rows = new List<LabeledTransaction>();
        foreach (var file in DatasetLayout.TransactionFiles(_cli.PathOf("data")))
            rows.AddRange(await TransactionParquetReader.ReadFileAsync(file));

        var result = _cli.Run("sql", "select count(*) as n, sum(amount) as total, count(distinct date) as days from transactions", "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("n,total,days", result.OutputLines[0]);
        var fields = result.OutputLines[1].Split(',');
        Assert.Equal(rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[0]);
        Assert.Equal(rows.Sum(r => r.Transaction.Amount), decimal.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2", fields[2]);
    }

    [Fact]
    public async Task Rolled_rows_generated_rows_and_files_of_an_older_layout_read_as_one_table()
    {
        var root = _cli.PathOf("data");
        var day = new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var roller = await LogRoller.OpenAsync(root, 1);
        await roller.RollAsync(Enumerable.Range(1, 3).Select(i => new WalRecord(i, Tx.At(day + i, id: $"LOG{i}"))));
        var old = Path.Combine(DatasetLayout.PartitionDirectory(root, new DateOnly(2026, 1, 5)), "part-old.parquet");
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var copy = connection.CreateCommand();
            copy.CommandText = $"""
                COPY (SELECT 'OLD1' AS transaction_id, 'CUST_1' AS customer_id, 'MERCH_1' AS merchant_id, 1.50::DECIMAL(18,2) AS amount,
                  'BRL' AS currency, TIMESTAMPTZ '2026-01-05 12:00:00+00' AS timestamp, true AS is_suspicious, 'old' AS typology)
                TO '{old}' (FORMAT parquet)
                """;
            copy.ExecuteNonQuery();
        }

        var result = _cli.Run("sql", """
            select count(*) filter (where log_sequence is not null) as rolled, count(*) filter (where log_sequence is not null and is_suspicious is null) as unlabelled,
              max(log_sequence) as last, bool_or(transaction_id = 'OLD1' and is_suspicious) as old
            from transactions
            """, "--format", "csv");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["rolled,unlabelled,last,old", "3,3,3,True"], result.OutputLines);
    }

    [Fact]
    public void Json_lines_keep_types_and_instants_in_utc()
    {
        var result = _cli.Run("sql", "select transaction_id, amount, timestamp, is_suspicious, date from transactions order by timestamp limit 3", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.OutputLines.Length);
        using var first = JsonDocument.Parse(result.OutputLines[0]);
        Assert.Equal(JsonValueKind.Number, first.RootElement.GetProperty("amount").ValueKind);
        Assert.Equal(JsonValueKind.False, first.RootElement.GetProperty("is_suspicious").ValueKind);
        Assert.Matches(@"^2026-01-05T\d\d:\d\d:\d\d\.\d{3}Z$", first.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal("2026-01-05", first.RootElement.GetProperty("date").GetString());
    }

    [Fact]
    public void A_table_is_printed_with_its_row_count_and_long_results_are_cut_with_a_note()
    {
        var result = _cli.Run("sql", "select customer_id from customers order by 1", "--max-rows", "5");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CUST_000001", result.Output, StringComparison.Ordinal);
        Assert.Contains("5 rows", result.Output, StringComparison.Ordinal);
        Assert.Contains("only the first 5 rows are shown", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_sql_exits_1_with_duckdbs_message()
    {
        var result = _cli.Run("sql", "selec 1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("syntax error at or near \"selec\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_store_is_named()
    {
        var result = _cli.Run("sql", "select 1", "--data-dir", "empty");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("holds no data", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ip_addresses_and_device_ids_show_as_their_pseudonyms_and_count_alike()
    {
        var data = _cli.PathOf("data");
        const string Query = "select transaction_id, ip_address, device_id from transactions where ip_address is not null and device_id is not null order by transaction_id limit 20";
        var raw = OfflineSql.Query(data, Query).Rows;
        const string Counts = "select count(distinct ip_address), count(distinct device_id) from transactions";

        var result = _cli.Run("sql", Query, "--format", "csv");
        var counts = _cli.Run("sql", Counts, "--format", "csv");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        var pseudonyms = PseudonymKey.Resolve(data, configured: null);
        Assert.Equal(
            raw.Select(r => $"{r[0]},{pseudonyms.IpAddress((string)r[1]!)},{pseudonyms.DeviceId((string)r[2]!)}"),
            result.OutputLines.Skip(1));
        Assert.Equal(20, result.OutputLines.Length - 1);
        var rawCounts = OfflineSql.Query(data, Counts).Rows[0];
        Assert.Equal($"{rawCounts[0]},{rawCounts[1]}", counts.OutputLines[1]);
    }

    [Fact]
    public void Profiles_show_home_ips_and_devices_as_pseudonyms_and_a_known_ip_is_found_by_its_pseudonym()
    {
        var data = _cli.PathOf("data");
        var raw = OfflineSql.Query(data, "select home_ips[1], device_id from customers order by customer_id limit 1").Rows[0];
        var pseudonyms = PseudonymKey.Resolve(data, configured: null);

        var profile = _cli.Run("sql", "select home_ips[1], device_id from customers order by customer_id limit 1", "--format", "csv");
        var ip = (string)OfflineSql.Query(data, "select ip_address from transactions where ip_address is not null limit 1").Rows[0][0]!;
        var found = _cli.Run("sql", $"select count(*) from transactions where ip_address = amlfs_ip_pseudonym('{ip}')", "--format", "csv");

        Assert.Equal($"{pseudonyms.IpAddress((string)raw[0]!)},{pseudonyms.DeviceId((string)raw[1]!)}", profile.OutputLines[1]);
        Assert.Equal(OfflineSql.Query(data, $"select count(*) from transactions where ip_address = '{ip}'").Rows[0][0]!.ToString(), found.OutputLines[1]);
        Assert.NotEqual("0", found.OutputLines[1]);
    }

    [Fact]
    public void Raw_personal_data_is_shown_on_request_and_recorded_in_the_audit_trail()
    {
        var data = _cli.PathOf("data");
        const string Query = "select ip_address from transactions where ip_address is not null order by transaction_id limit 1";

        var result = _cli.Run("sql", Query, "--format", "csv", "--raw-personal-data");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Equal(OfflineSql.Query(data, Query).Rows[0][0], result.OutputLines[1]);
        Assert.DoesNotContain(Pseudonymizer.IpPrefix, result.OutputLines[1], StringComparison.Ordinal);
        var record = Assert.Single(AuditReader.Records(data)).Record;
        Assert.Equal((AuditActions.PersonalDataExported, "sql", Query), (record.Action, record.Subject, record.Details["query"]));
    }

    [Fact]
    public void The_feature_log_of_ip_entities_shows_their_ids_as_pseudonyms_and_customers_as_they_are()
    {
        var data = _cli.PathOf("data");
        foreach (var (entity, id) in new[] { ("ip", "203.0.113.7"), ("customer", "CUST_000001") })
        {
            var directory = Path.Combine(DatasetLayout.FeatureLogDirectory(data), entity, "date=2026-01-05");
            Directory.CreateDirectory(directory);
            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            using var copy = connection.CreateCommand();
            copy.CommandText = $"COPY (SELECT '{id}' AS entity_id, '198.51.100.1' AS request_ip_address, 'PHONE_1' AS request_device_id, 1.0 AS txn_count_1h) "
                + $"TO '{Path.Combine(directory, "part-0.parquet")}' (FORMAT parquet)";
            copy.ExecuteNonQuery();
        }

        var ip = _cli.Run("sql", "select entity_id, request_ip_address, request_device_id, txn_count_1h from feature_log_ip", "--format", "csv");
        var customer = _cli.Run("sql", "select entity_id, request_ip_address from feature_log_customer", "--format", "csv");

        var pseudonyms = PseudonymKey.Resolve(data, configured: null);
        Assert.Equal($"{pseudonyms.IpAddress("203.0.113.7")},{pseudonyms.IpAddress("198.51.100.1")},{pseudonyms.DeviceId("PHONE_1")},1.0", ip.OutputLines[1]);
        Assert.Equal($"CUST_000001,{pseudonyms.IpAddress("198.51.100.1")}", customer.OutputLines[1]);
    }
}
