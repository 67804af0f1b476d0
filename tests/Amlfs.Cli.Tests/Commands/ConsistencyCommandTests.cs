using System.Text.Json;
using Amlfs.Cli.Commands;
using Amlfs.Consistency;
using Amlfs.OfflineStore;
using Amlfs.Parquet;
using Amlfs.Parquet.FeatureLog;
using Amlfs.Registry;
using Amlfs.Storage;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Cli.Tests.Commands;

public sealed class ConsistencyCommandTests
{
    [Fact]
    public void The_self_contained_check_recomputes_every_served_vector_without_a_mismatch()
    {
        var result = Run("consistency", "--transactions", "300", "--requests", "300", "--clients", "2", "--seed", "7");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var root = json.RootElement;
        Assert.Equal("consistency", root.GetProperty("bench").GetString());
        Assert.Equal((0, 0, 0, 0), (root.GetProperty("mismatches").GetInt64(), root.GetProperty("missing").GetInt64(),
            root.GetProperty("extra").GetInt64(), root.GetProperty("dropped").GetInt64()));
        Assert.True(root.GetProperty("vectors").GetInt64() >= 300);
        Assert.Contains("txn_count_1h", result.Output, StringComparison.Ordinal);
        Assert.Contains("merchant_unique_customers_1h", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupted_logged_value_is_reported_as_a_mismatch()
    {
        using var directory = new TempDirectory();
        await ServeTwoPaymentsAsync(directory.Path, "/features/C1", "/features/merchant/M1?at=2026-03-10T14:58:30Z");

        Assert.Equal(0, Run("consistency", "--data-dir", directory.Path).ExitCode);

        var (vectors, _) = await FeatureLogFiles.ReadAsync(directory.Path);
        var customer = vectors.Single(v => v.Entity == "customer");
        var sum = customer.Names.ToList().IndexOf("txn_amount_sum_1h");
        Assert.Equal(130.0, customer.Values[sum]);
        customer.Values[sum] = 130.01;
        Directory.Delete(Path.Combine(FeatureLogFiles.Directory(directory.Path), "customer"), recursive: true);
        await FeatureLogFiles.WriteAsync(directory.Path, "customer", customer.Names, [customer], dropped: 0);

        var result = Run("consistency", "--data-dir", directory.Path);

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        Assert.Equal((2L, 1L), (json.RootElement.GetProperty("vectors").GetInt64(), json.RootElement.GetProperty("mismatches").GetInt64()));
        Assert.Contains("txn_amount_sum_1h served 130.01, recomputed 130", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Entities keep their log sequences through the snapshot a clean stop writes, so vectors served after a restart,
    /// some before a late arrival, recompute exactly too.
    /// </summary>
    [Fact]
    public async Task Vectors_served_across_a_restart_recompute_exactly()
    {
        using var directory = new TempDirectory();
        var now = new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        for (var run = 0; run < 2; run++)
        {
            await using var server = await RunningServer.StartAsync(clock, directory.Path, s => s with { LogFeatures = true });
            await server.GetJsonAsync("/features/C1"); // after the restart, from the snapshot's state alone
            await server.GetJsonAsync("/features/merchant/M1?at=" + Uri.EscapeDataString(now.AddMinutes(-2).ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            foreach (var (id, minutesAgo) in new[] { ("A", 1.0), ("B", 0.5), ("C", 3.0) })
            {
                var at = now.AddMinutes(-minutesAgo).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                using var ingest = await server.PostAsync("/transactions",
                    $$"""{"transaction_id":"{{id}}{{run}}","customer_id":"C1","merchant_id":"M1","amount":{{10 + run}},"timestamp":"{{at}}"}""");
                ingest.EnsureSuccessStatusCode();
                await server.GetJsonAsync("/features/C1");
                await server.GetJsonAsync("/features/merchant/M1");
            }

            clock.Advance(TimeSpan.FromSeconds(10));
        }

        var result = Run("consistency", "--data-dir", directory.Path);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var root = json.RootElement;
        Assert.Equal((16L, 0L, 0L), (root.GetProperty("vectors").GetInt64(), root.GetProperty("mismatches").GetInt64(), root.GetProperty("missing").GetInt64()));
        Assert.True(root.GetProperty("served_before_late_arrivals").GetInt64() > 0);
    }

    /// <summary>
    /// Scores that read an IP and a device, and request features compared with the request (first seen), recompute
    /// exactly: the log holds each scored transaction, and the IP's and the device's vectors are checked like the
    /// customer's.
    /// </summary>
    [Fact]
    public async Task Scores_with_ip_and_device_entities_and_first_seen_features_recompute_exactly()
    {
        using var directory = new TempDirectory();
        var now = new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
        new RegistryStore(directory.Path).Apply(DefinitionsLoader.DefaultText(), "features.yaml", now);
        await using (var server = await RunningServer.StartAsync(new FakeTimeProvider(now), directory.Path, s => s with { LogFeatures = true }))
        {
            string Body(string id, string customer, string merchant, string? ip, string? device, double minutesAgo, bool record = false) =>
                JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["transaction_id"] = id,
                    ["customer_id"] = customer,
                    ["merchant_id"] = merchant,
                    ["amount"] = 25,
                    ["timestamp"] = now.AddMinutes(-minutesAgo).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["ip_address"] = ip,
                    ["device_id"] = device,
                    ["record"] = record,
                });
            using (var ingest = await server.PostAsync("/transactions",
                "[" + Body("T1", "C1", "M1", "10.0.0.1", "D1", 50) + "," + Body("T2", "C2", "M1", "10.0.0.1", null, 40) + "," + Body("T3", "C1", "M2", null, "D1", 30) + "]"))
            {
                ingest.EnsureSuccessStatusCode();
            }

            foreach (var request in new[]
            {
                Body("P1", "C1", "M1", "10.0.0.1", "D1", 20),
                Body("P2", "C1", "M3", "10.0.0.2", "D2", 10, record: true),
                Body("P3", "C2", "M2", null, null, 5),
                Body("P4", "C3", "M3", "10.0.0.2", "D1", 1),
            })
            {
                var (status, _) = await server.PostJsonAsync("/predict", request);
                Assert.Equal(200, status);
            }

            await server.GetJsonAsync("/features/ip/10.0.0.1");
        }

        var result = Run("consistency", "--data-dir", directory.Path);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var root = json.RootElement;
        // Four scores read a customer and a merchant each, three an IP and three a device; one features read.
        Assert.Equal((15L, 0L, 0L), (root.GetProperty("vectors").GetInt64(), root.GetProperty("mismatches").GetInt64(), root.GetProperty("missing").GetInt64()));
        Assert.Contains("first_seen_counterparty_30d", result.Output, StringComparison.Ordinal);
        Assert.Contains("ip_unique_accounts_1h", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// After the write-ahead log rolls into the offline store, the history comes from the store's rows and their
    /// <c>log_sequence</c>; rows the log still holds count once.
    /// </summary>
    [Fact]
    public async Task The_history_may_come_from_the_offline_store_once_the_log_has_rolled()
    {
        using var directory = new TempDirectory();
        await ServeTwoPaymentsAsync(directory.Path, "/features/C1");

        var wal = Path.Combine(directory.Path, "wal");
        var records = WalFiles.ReadCommitted(wal)
            .Select(r => new LabeledTransaction(r.Transaction, null, Typologies.None) { LogSequence = r.Sequence }).ToArray();
        var day = new DateOnly(2026, 3, 10);
        await TransactionParquetWriter.WriteDayAsync(directory.Path, day, records.Take(1).ToArray());
        var partlyRolled = Run("consistency", "--data-dir", directory.Path);
        await TransactionParquetWriter.WriteDayAsync(directory.Path, day, records);
        Directory.Delete(wal, recursive: true);
        var rolled = Run("consistency", "--data-dir", directory.Path);

        foreach (var result in new[] { partlyRolled, rolled })
        {
            Assert.True(result.ExitCode == 0, result.Output + result.Error);
            using var json = JsonDocument.Parse(result.OutputLines[^1]);
            var root = json.RootElement;
            Assert.Equal((2L, 1L, 0L, 0L), (root.GetProperty("history_events").GetInt64(), root.GetProperty("vectors").GetInt64(),
                root.GetProperty("mismatches").GetInt64(), root.GetProperty("missing").GetInt64()));
        }
    }

    [Fact]
    public void A_data_directory_without_a_feature_log_is_an_error()
    {
        using var directory = new TempDirectory();

        var result = Run("consistency", "--data-dir", directory.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--log-features", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_reads_the_feature_log_as_one_wide_view_per_entity()
    {
        using var directory = new TempDirectory();
        var at = new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        await FeatureLogFiles.WriteAsync(directory.Path, "customer", ["txn_count_1h", "txn_amount_sum_1h"],
            [new("customer", "C1", at, 3, at, FeatureLogKind.Features, null, ["txn_count_1h", "txn_amount_sum_1h"], [2, 130])], dropped: 0);

        var result = Run("sql", "select entity_id, log_sequence, txn_count_1h, txn_amount_sum_1h, date from feature_log_customer",
            "--data-dir", directory.Path, "--format", "csv");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["entity_id,log_sequence,txn_count_1h,txn_amount_sum_1h,date", "C1,3,2,130,2026-03-10"], result.OutputLines);
    }

    /// <summary>On the system clock: the self-contained check runs a real server against real time.</summary>
    private static CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = AmlfsCli.Run(args, new CliEnvironment(output, error, Path.GetTempPath(), TimeProvider.System));
        return new CliResult(code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>A server with feature logging on: two payments of C1 at M1, one out of order, then the given reads.</summary>
    private static async Task ServeTwoPaymentsAsync(string dataDirectory, params string[] reads)
    {
        var now = new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
        await using var server = await RunningServer.StartAsync(new FakeTimeProvider(now), dataDirectory, s => s with { LogFeatures = true });
        using var ingest = await server.PostAsync("/transactions",
            """[{"transaction_id":"T1","customer_id":"C1","merchant_id":"M1","amount":100,"timestamp":"2026-03-10T14:59:00Z"},""" +
            """{"transaction_id":"T2","customer_id":"C1","merchant_id":"M1","amount":30,"timestamp":"2026-03-10T14:58:00Z"}]""");
        ingest.EnsureSuccessStatusCode();
        foreach (var read in reads)
            await server.GetJsonAsync(read);
    }
}
