using System.Globalization;
using System.Text.Json;
using Amlfs.Audit;
using Amlfs.DuckDb;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Parquet;
using Amlfs.Registry;
using Amlfs.Security;
using Amlfs.Testing;
using Parquet;
using Parquet.Schema;

namespace Amlfs.Cli.Tests.Commands;

public sealed class TrainingSetCommandTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 3, 14);
    private static readonly long Start = Tx.Utc(2026, 3, 14, 1); // 22:00 in Sao Paulo: night features count

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Every_default_row_equals_a_naive_evaluation_although_a_later_file_holds_earlier_events()
    {
        var (generated, rolled) = History();
        await WritePartAsync(0, generated);
        await WritePartAsync(1, rolled); // written later, holding earlier (late) events, unlabelled, and one id again

        var result = _cli.Run("training-set", "--out", "ts.parquet");

        Assert.True(result.ExitCode == 0, result.Error);
        var (reference, expected) = Expected(TestEngines.Default, generated, rolled);
        var (columns, rows) = ReadOutput("ts.parquet");
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(["transaction_id", "customer_id", "merchant_id", "timestamp", "amount", "label", "typology"], columns[..7]);
        // One group per entity type a transaction names, in declaration order: its stored features, then its request ones.
        var definition = TestEngines.Default;
        var groups = definition.Entities.Select(e => (Entity: e,
            Stored: definition.StoredFeatures.Where(f => f.Entity == e.Name).Select(f => f.Name).ToArray(),
            Request: definition.RequestFeatures.Where(f => f.Entity == e.Name).Select(f => f.Name).ToArray())).ToArray();
        Assert.Equal(groups.SelectMany(g => g.Stored.Concat(g.Request)), columns[7..]);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var t = expected[r].Transaction;
            Assert.Equal(t.TransactionId, row[0]);
            Assert.Equal(t.CustomerId, row[1]);
            Assert.Equal(t.MerchantId, row[2]);
            Assert.Equal(t.Amount, (decimal)row[4]!);
            Assert.Equal(expected[r].IsSuspicious, row[5]);
            var naive = new List<double>();
            foreach (var (entity, stored, request) in groups)
            {
                var id = FeatureEngine.FieldOf(t, entity.JoinKey); // null for an IP or a device the transaction does not name
                var values = reference.Features(entity.Name, id ?? "no entity", t.TimestampMs);
                naive.AddRange(values);
                // The seed's request expressions written out by hand; the aggregations compared with the request from the reference.
                var referenced = reference.RequestFeatures(entity.Name, id, t.TimestampMs, t);
                naive.AddRange(request.Select((name, i) => NaiveRequestFeature(name, n => values[Array.IndexOf(stored, n)], (double)t.Amount) ?? referenced[i]));
            }

            for (var f = 0; f < naive.Count; f++)
            {
                if (BitConverter.DoubleToInt64Bits(naive[f]) != BitConverter.DoubleToInt64Bits((double)row[7 + f]!))
                    Assert.Fail($"row {r} ({t.TransactionId}): {columns[7 + f]}: naive {naive[f]:R}, training set {row[7 + f]:R}");
            }
        }

        Assert.Contains("1 duplicate ids skipped", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The default request expressions written out by hand over the reference model's stored features; null for the others.</summary>
    private static double? NaiveRequestFeature(string name, Func<string, double> f, double amount) => name switch
    {
        "txn_count_60s_with_current" => f("txn_count_60s") + 1,
        "txn_amount_sum_60s_with_current" => f("txn_amount_sum_60s") + amount,
        "amount_zscore_30d" => f("txn_count_30d") < 2 ? 0 : (amount - f("amount_mean_30d")) / Math.Max(f("amount_stddev_30d"), 1),
        "amount_to_max_30d" => amount / Math.Max(f("amount_max_30d"), 0.01),
        "behavioral_amount_zscore" => f("merchant_amount_stddev_7d") == 0 ? 0 : (amount - f("merchant_amount_mean_7d")) / Math.Max(f("merchant_amount_stddev_7d"), 1),
        _ => null,
    };

    [Fact]
    public async Task Every_row_reads_its_ip_and_device_and_compares_its_own_transaction_with_the_history_as_of_its_time()
    {
        var text = DefinitionsLoader.DefaultText();
        var definition = Amlfs.Registry.DefinitionsLoader.Parse(text, "features.yaml");
        new Amlfs.Storage.RegistryStore(_cli.PathOf("data")).Apply(text, "features.yaml", DateTimeOffset.UtcNow);
        var (generated, rolled) = History();
        generated = [.. generated.Select((r, i) => i % 4 == 0 ? r : r with { Transaction = r.Transaction with { DeviceId = "PHONE_" + (i % 3) } })];
        await WritePartAsync(0, generated);
        await WritePartAsync(1, rolled); // later file, earlier events: a row must see them when they are before it

        var result = _cli.Run("training-set", "--out", "ts.parquet");

        Assert.True(result.ExitCode == 0, result.Error);
        var (reference, expected) = Expected(definition, generated, rolled);
        var (columns, rows) = ReadOutput("ts.parquet");
        Assert.Equal(expected.Count, rows.Count);
        var ipColumns = definition.StoredFeatures.Where(f => f.Entity == "ip").Select(f => Array.IndexOf(columns, f.Name)).ToArray();
        var deviceColumns = definition.StoredFeatures.Where(f => f.Entity == "device").Select(f => Array.IndexOf(columns, f.Name)).ToArray();
        var requestColumns = definition.RequestFeatures.Where(f => f.Entity == "customer").Select(f => Array.IndexOf(columns, f.Name)).ToArray();
        Assert.DoesNotContain(-1, ipColumns.Concat(deviceColumns).Concat(requestColumns));
        Assert.Contains(expected, r => r.Transaction.IpAddress is null);
        Assert.Contains(expected, r => r.Transaction.DeviceId is null);
        for (var r = 0; r < rows.Count; r++)
        {
            var t = expected[r].Transaction;
            // A row without an IP names no IP entity: the values of one without events, as an id nobody has.
            var ip = reference.Features("ip", t.IpAddress ?? "no entity", t.TimestampMs);
            var device = reference.Features("device", t.DeviceId ?? "no entity", t.TimestampMs);
            Assert.Equal(ip, ipColumns.Select(c => (double)rows[r][c]!));
            Assert.Equal(device, deviceColumns.Select(c => (double)rows[r][c]!));
            // The row's own transaction is the request: first seen compares it with the account's history before it.
            Assert.Equal(reference.RequestFeatures("customer", t.CustomerId, t.TimestampMs, t), requestColumns.Select(c => (double)rows[r][c]!));
        }

        Assert.Contains(Enumerable.Range(0, rows.Count), r => (double)rows[r][ipColumns[0]]! > 1);
        var firstSeenIp = Array.IndexOf(columns, "first_seen_ip_30d");
        Assert.Contains(Enumerable.Range(0, rows.Count), r => (double)rows[r][firstSeenIp]! == 1);
        Assert.Contains(Enumerable.Range(0, rows.Count), r => (double)rows[r][firstSeenIp]! == 0 && expected[r].Transaction.IpAddress is not null);
    }

    [Fact]
    public async Task A_store_rewritten_by_duckdb_gives_the_same_training_set()
    {
        var (generated, rolled) = History();
        await WritePartAsync(0, generated);
        await WritePartAsync(1, rolled);
        var ours = _cli.Run("training-set", "--out", "ours.parquet");
        Assert.True(ours.ExitCode == 0, ours.Error);
        // Another writer's layout: dictionary-encoded strings, zstd for one file, timestamps in microseconds.
        foreach (var (part, codec) in new[] { (0, "snappy"), (1, "zstd") })
        {
            var source = DatasetLayout.PartitionFile(Path.Combine(_cli.WorkingDirectory, "data"), Day, part);
            var target = DatasetLayout.PartitionFile(Path.Combine(_cli.WorkingDirectory, "rewritten"), Day, part);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            OfflineSql.Query(Path.Combine(_cli.WorkingDirectory, "data"),
                $"COPY (SELECT * FROM read_parquet('{source}', hive_partitioning = false)) TO '{target}' (FORMAT parquet, COMPRESSION {codec})");
        }

        var theirs = _cli.Run("training-set", "--data-dir", "rewritten", "--out", "theirs.parquet");

        Assert.True(theirs.ExitCode == 0, theirs.Error);
        var (columns, expected) = ReadOutput("ours.parquet");
        var (rewrittenColumns, actual) = ReadOutput("theirs.parquet");
        Assert.Equal(columns, rewrittenColumns);
        Assert.Equal(expected.Count, actual.Count);
        for (var r = 0; r < expected.Count; r++)
            Assert.Equal(expected[r], actual[r]);
    }

    [Fact]
    public async Task A_label_known_at_or_after_the_label_cutoff_is_left_out_and_its_transaction_stays_unlabelled()
    {
        await WritePartAsync(0, [Row(Start, "C1", 10_00), new LabeledTransaction(Tx.At(Start + 1_000, customer: "C1", cents: 20_00, id: "U1"), null, Typologies.None)]);
        var closedAt = Start + 3_600_000;
        var data = Path.Combine(_cli.WorkingDirectory, "data");
        await Amlfs.Parquet.Labels.LabelTable.AppendAsync(data, [new LabelRecord("U1", true, "burst", closedAt, LabelSources.ForCase("CASE-000001"))], TimeProvider.System);

        var atClose = _cli.Run("training-set", "--out", "at-close.parquet", "--label-cutoff", Iso(closedAt));
        var afterClose = _cli.Run("training-set", "--out", "after-close.parquet", "--label-cutoff", Iso(closedAt + 1));
        var both = _cli.Run("training-set", "--out", "both.parquet", "--label-cutoff", Iso(closedAt), "--labels", "labels.csv");

        Assert.True(atClose.ExitCode == 0, atClose.Error);
        Assert.True(afterClose.ExitCode == 0, afterClose.Error);
        var id = Array.IndexOf(ReadOutput("at-close.parquet").Columns, "transaction_id");
        Assert.DoesNotContain(ReadOutput("at-close.parquet").Rows, r => (string?)r[id] == "U1");
        Assert.Contains(ReadOutput("after-close.parquet").Rows, r => (string?)r[id] == "U1");
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("--label-cutoff", both.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_at_exactly_the_label_time_is_not_counted()
    {
        await WritePartAsync(0, [Row(Start, "C1", 10_00), Row(Start + 1_000, "C1", 20_00), Row(Start + 2_000, "C1", 40_00)]);
        _cli.Write("labels.csv", $"""
            entity_id,timestamp,label
            C1,{Iso(Start + 1_000)},1
            C1,{Iso(Start + 1_000)[..^1]}0001Z,0
            C1,2026-03-13T22:00:02-03:00,true
            """);

        var result = _cli.Run("training-set", "--labels", "labels.csv", "--out", "ts.parquet");

        Assert.True(result.ExitCode == 0, result.Error);
        var (columns, rows) = ReadOutput("ts.parquet");
        Assert.Equal(["entity", "entity_id", "timestamp", "label"], columns[..4]);
        var count = Array.IndexOf(columns, "txn_count_60s");
        var sum = Array.IndexOf(columns, "txn_amount_sum_60s");
        Assert.Equal([1.0, 2.0, 2.0], rows.Select(r => (double)r[count]!));
        Assert.Equal([10.0, 30.0, 30.0], rows.Select(r => (double)r[sum]!));
    }

    [Fact]
    public async Task Label_rows_come_out_in_time_order_with_ties_in_file_order()
    {
        await WritePartAsync(0, [Row(Start, "A", 1_00), Row(Start, "B", 1_00)]);
        _cli.Write("labels.csv", $"""
            timestamp,label,entity_id,note
            {Iso(Start + 5_000)},0,Z,"a note, quoted"
            {Iso(Start + 1_000)},1,B,
            {Iso(Start + 5_000)},false,A,
            {Iso(Start + 1_000)},0,A,
            """);

        var first = _cli.Run("training-set", "--labels", "labels.csv", "--out", "first.parquet");
        var second = _cli.Run("training-set", "--labels", "labels.csv", "--out", "second.parquet");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(["B", "A", "Z", "A"], ReadOutput("first.parquet").Rows.Select(r => (string)r[1]!));
        Assert.Equal(await File.ReadAllBytesAsync(_cli.PathOf("first.parquet")), await File.ReadAllBytesAsync(_cli.PathOf("second.parquet")));
    }

    [Fact]
    public async Task Malformed_label_rows_are_reported_with_their_lines_and_nothing_is_written()
    {
        await WritePartAsync(0, [Row(Start, "C1", 1_00)]);
        _cli.Write("labels.csv", $"""
            entity,entity_id,timestamp,label
            customer,C1,{Iso(Start)},1
            customer,C1,yesterday,1
            customer,C1,{Iso(Start)},maybe
            customer,,{Iso(Start)},0
            merchant,M1,{Iso(Start)},0
            customer,C1,{Iso(Start)}
            customer,"C1,{Iso(Start)},1
            """);

        var result = _cli.Run("training-set", "--labels", "labels.csv", "--out", "ts.parquet");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "labels.csv:3: timestamp: 'yesterday' is not an ISO-8601 instant such as 2026-01-05T14:30:00Z",
                "labels.csv:4: label: 'maybe' is not one of 0, 1, true, false",
                "labels.csv:5: entity_id: is required",
                "labels.csv:6: entity: 'merchant' differs from the requested entity 'customer' (--entity)",
                "labels.csv:7: row: 3 fields, the header has 4",
                "labels.csv:8: row: an unclosed quote",
            ],
            result.ErrorLines);
        Assert.False(File.Exists(_cli.PathOf("ts.parquet")));
    }

    [Fact]
    public async Task A_labels_file_without_a_required_column_is_refused()
    {
        await WritePartAsync(0, [Row(Start, "C1", 1_00)]);
        _cli.Write("labels.csv", "id,timestamp\nC1,2026-03-14T01:00:00Z\n");

        var result = _cli.Run("training-set", "--labels", "labels.csv", "--out", "ts.parquet");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["labels.csv:1: header: missing columns entity_id, label (got: id,timestamp)"], result.ErrorLines);
    }

    [Fact]
    public async Task A_parquet_labels_file_gives_merchant_rows()
    {
        await WritePartAsync(0, [Row(Start, "C1", 10_00, "M1"), Row(Start + 10, "C2", 5_00, "M1"), Row(Start + 20, "C3", 7_00, "M2")]);
        var schema = new ParquetSchema(
            new DataField<string>("entity_id"),
            new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis),
            new DataField<int>("label"));
        await using (var stream = File.Create(_cli.PathOf("labels.parquet")))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(schema.DataFields[0], new ArraySegment<string>(["M1", "M2"]));
            var at = DateTime.UnixEpoch.AddMilliseconds(Start + 60_000);
            await group.WriteAsync<DateTime>(schema.DataFields[1], new[] { at, at }.AsMemory());
            await group.WriteAsync<int>(schema.DataFields[2], new[] { 1, 0 }.AsMemory());
        }

        var result = _cli.Run("training-set", "--labels", "labels.parquet", "--entity", "merchant", "--out", "ts.parquet");

        Assert.True(result.ExitCode == 0, result.Error);
        var (columns, rows) = ReadOutput("ts.parquet");
        var count = Array.IndexOf(columns, "merchant_txn_count_1h");
        var customers = Array.IndexOf(columns, "merchant_unique_customers_1h");
        Assert.Equal([2.0, 1.0], rows.Select(r => (double)r[count]!));
        Assert.Equal([2.0, 1.0], rows.Select(r => (double)r[customers]!));
        Assert.Equal([true, false], rows.Select(r => (bool)r[3]!));
    }

    [Fact]
    public async Task Ip_rows_carry_the_ips_pseudonym_unless_raw_personal_data_is_asked_for_and_recorded()
    {
        await WritePartAsync(0, [Row(Start, "C1", 10_00), Row(Start + 10, "C2", 5_00), Row(Start + 20, "C3", 7_00)]);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(Start + 60_000).ToString("O", CultureInfo.InvariantCulture);
        _cli.Write("ips.csv", $"entity_id,timestamp,label\n10.0.0.1,{at},1\n");

        var pseudonymised = _cli.Run("training-set", "--labels", "ips.csv", "--entity", "ip", "--out", "ips.parquet");
        var (columns, rows) = ReadOutput("ips.parquet");
        var raw = _cli.Run("training-set", "--labels", "ips.csv", "--entity", "ip", "--out", "raw.parquet", "--raw-personal-data");
        var (_, rawRows) = ReadOutput("raw.parquet");

        Assert.True(pseudonymised.ExitCode == 0, pseudonymised.Error);
        Assert.True(raw.ExitCode == 0, raw.Error);
        var data = Path.Combine(_cli.WorkingDirectory, "data");
        Assert.Equal(PseudonymKey.Resolve(data, configured: null).IpAddress("10.0.0.1"), Assert.Single(rows)[1]);
        Assert.Equal("10.0.0.1", Assert.Single(rawRows)[1]);
        Assert.Equal(3.0, rows[0][Array.IndexOf(columns, "ip_unique_accounts_1h")]);
        Assert.Equal(rawRows[0][2..], rows[0][2..]);
        var record = Assert.Single(AuditReader.Records(data)).Record;
        Assert.Equal((AuditActions.PersonalDataExported, "training-set", "ip"), (record.Action, record.Subject, record.Details["entity"]));
    }

    [Fact]
    public void The_bench_prints_its_json_last_and_duckdb_agrees_on_the_family()
    {
        var result = _cli.Run("bench", "training-set", "--transactions", "3000", "--labels", "300", "--data-dir", "bench");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var root = json.RootElement;
        Assert.Equal("training_set", root.GetProperty("bench").GetString());
        Assert.True(root.GetProperty("rows_per_sec").GetDouble() > 0);
        Assert.True(root.GetProperty("duckdb_ratio").GetDouble() > 0);
        Assert.Equal(300, root.GetProperty("rows").GetInt64());
        Assert.Equal(3000, root.GetProperty("transactions").GetInt64());
        Assert.Equal(0, root.GetProperty("mismatches").GetInt64());

        var again = _cli.Run("bench", "training-set", "--transactions", "3000", "--labels", "300", "--data-dir", "bench");
        Assert.Contains("reusing the generated history", again.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// A dense history of a few customers and merchants over two hours: most rows labelled (some unlabelled), with
    /// ties and events at exactly another's time; and a later file of earlier, unlabelled events with one id repeated.
    /// </summary>
    private static (List<LabeledTransaction> Generated, List<LabeledTransaction> Rolled) History()
    {
        var random = new Random(5);
        var generated = Enumerable.Range(0, 400)
            .Select(i => Start + random.Next(0, 7_200) * 1_000L + (i % 3 == 0 ? 0 : random.Next(1_000)))
            .Order()
            .Select((t, i) => new LabeledTransaction(
                Tx.At(t, customer: "C" + random.Next(6), merchant: "M" + random.Next(3), cents: 1 + random.Next(2_000_000),
                    ip: random.Next(5) == 0 ? null : "10.0.0." + random.Next(4), id: "G" + i.ToString("D4", CultureInfo.InvariantCulture)),
                i % 9 == 0 ? null : random.Next(4) == 0, i % 9 == 0 ? Typologies.None : "burst"))
            .ToList();
        var rolled = Enumerable.Range(0, 60)
            .Select(i => new LabeledTransaction(
                Tx.At(Start + random.Next(0, 7_200) * 1_000L, customer: "C" + random.Next(6), merchant: "M" + random.Next(3),
                    cents: 1 + random.Next(50_000), ip: "10.0.1." + random.Next(3), id: "L" + i.ToString("D4", CultureInfo.InvariantCulture)),
                null, Typologies.None))
            .Append(generated[100] with { }) // the same transaction rolled again: counted once, one row
            .ToList();
        return (generated, rolled);
    }

    /// <summary>
    /// The brute-force reference fed the whole history in time order, and the rows a training set must have: every
    /// labelled transaction id once, by time, then id.
    /// </summary>
    private static (ReferenceModel Reference, List<LabeledTransaction> Rows) Expected(
        Amlfs.Registry.RegistryDefinition definition, List<LabeledTransaction> generated, List<LabeledTransaction> rolled)
    {
        var reference = new ReferenceModel(definition, clockMs: null);
        foreach (var t in generated.Concat(rolled).Select(r => r.Transaction).OrderBy(t => t.TimestampMs))
            reference.Ingest(t);
        var rows = generated.Concat(rolled)
            .Where(r => r.IsSuspicious is not null)
            .DistinctBy(r => r.Transaction.TransactionId)
            .OrderBy(r => r.Transaction.TimestampMs).ThenBy(r => r.Transaction.TransactionId, StringComparer.Ordinal)
            .ToList();
        return (reference, rows);
    }

    private static LabeledTransaction Row(long t, string customer, long cents, string merchant = "M1") =>
        new(Tx.At(t, customer: customer, merchant: merchant, cents: cents), true, "burst");

    private async Task WritePartAsync(int part, IReadOnlyList<LabeledTransaction> rows)
    {
        var path = DatasetLayout.PartitionFile(Path.Combine(_cli.WorkingDirectory, "data"), Day, part);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var stream = File.Create(path);
        await TransactionParquetWriter.WriteAsync(stream, rows);
    }

    private (string[] Columns, List<object?[]> Rows) ReadOutput(string name)
    {
        var result = OfflineSql.Query(Path.Combine(_cli.WorkingDirectory, "data"),
            $"SELECT * FROM read_parquet('{_cli.PathOf(name).Replace("'", "''", StringComparison.Ordinal)}')");
        return ([.. result.Columns], [.. result.Rows]);
    }

    private static string Iso(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
