using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amlfs.Cli.Training;
using Amlfs.DuckDb;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Parquet;
using Amlfs.Parquet.Training;
using Amlfs.Registry;
using Amlfs.Synthetic;
using Spectre.Console;

namespace Amlfs.Cli.Bench;

/// <summary>
/// Measures the training-set builder against DuckDB over the same Parquet files. The data: a generated history of
/// <c>transactions</c> rows of which <c>labels</c> (evenly spaced) keep their label and the rest are unlabelled (history
/// only), cached in the data directory and reused while the parameters match. Ours: the whole default path (read the
/// store, replay, write the training set with all stored and request features). DuckDB's: one feature family (the
/// customer's amount sums over 60 s, 5 min, 1 h and counts over 60 s, 5 min, 10 min, 1 h) as window functions with
/// half-open frames over the same files, on all cores, written to Parquet as well. Then both outputs are compared row
/// by row (by transaction id) on that family.
/// </summary>
internal static class TrainingSetBench
{
    private const string MarkerFile = "bench-training-set.json";

    /// <summary>The family DuckDB computes: our feature name, aggregate, window in milliseconds.</summary>
    internal static readonly (string Name, string Aggregate, long WindowMs)[] Family =
    [
        ("txn_amount_sum_60s", "sum", 60_000),
        ("txn_amount_sum_5m", "sum", 300_000),
        ("txn_amount_sum_1h", "sum", 3_600_000),
        ("txn_count_60s", "count", 60_000),
        ("txn_count_5m", "count", 300_000),
        ("txn_count_10m", "count", 600_000),
        ("txn_count_1h", "count", 3_600_000),
    ];

    public static async Task<TrainingSetBenchResult> RunAsync(
        IAnsiConsole console, string root, long transactions, long labels, long seed, int parallelism, Action<string> progress,
        CancellationToken cancellationToken)
    {
        await PrepareAsync(root, transactions, labels, seed, parallelism, progress, cancellationToken).ConfigureAwait(false);
        var definition = DefinitionsLoader.LoadDefault();
        var plan = FeaturePlan.Compile(definition);
        var ours = Path.Combine(root, "training-set-amlfs.parquet");
        var duck = Path.Combine(root, "training-set-duckdb.parquet");

        progress($"amlfs: read {transactions:N0} transactions, replay the engine on {parallelism} threads, write {labels:N0} rows x all features");
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var summary = await TrainingSetProgressBars.BuildAsync(
            console, root, plan, EngineOptions.From(definition), null, TransactionRowSelection.All, ours, parallelism, cancellationToken).ConfigureAwait(false);
        var ourSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var ourCpu = (process.TotalProcessorTime - cpu).TotalSeconds;
        cpu = process.TotalProcessorTime;

        progress("duckdb: the same rows, one feature family as window functions, to Parquet");
        clock.Restart();
        OfflineSql.Query(root, $"COPY ({FamilyQuery()}) TO {Literal(duck)} (FORMAT parquet)");
        var duckSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var duckCpu = (process.TotalProcessorTime - cpu).TotalSeconds;

        progress("cross-check: both outputs joined by transaction id, the family compared");
        var check = OfflineSql.Query(root, CrossCheckQuery(ours, duck)).Rows[0];
        return new TrainingSetBenchResult(
            summary, ourSeconds, duckSeconds, ourCpu, duckCpu, Convert.ToInt64(check[2], CultureInfo.InvariantCulture),
            Convert.ToInt64(check[0], CultureInfo.InvariantCulture), Convert.ToInt64(check[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The family for every labelled transaction, as of its own time. Frames run over the epoch milliseconds from
    /// t - W to t - 1 (both inclusive), which is [t - W, t) at the store's millisecond precision: neither the transaction
    /// nor anything at its instant is counted. (Integer frames: RANGE frames over TIMESTAMP WITH TIME ZONE with
    /// INTERVAL offsets compute the same values about twice as slowly, so DuckDB gets the faster formulation.)
    /// </summary>
    internal static string FamilyQuery()
    {
        var windows = Family.Select(f => f.WindowMs).Distinct().ToArray();
        var columns = Family.Select(f => f.Aggregate == "count"
            ? $"count(*) OVER w{Array.IndexOf(windows, f.WindowMs)} AS {f.Name}"
            : $"coalesce(CAST(sum(amount) OVER w{Array.IndexOf(windows, f.WindowMs)} AS DOUBLE), 0) AS {f.Name}");
        var definitions = windows.Select((w, i) => string.Create(CultureInfo.InvariantCulture,
            $"w{i} AS (PARTITION BY customer_id ORDER BY ms RANGE BETWEEN {w} PRECEDING AND 1 PRECEDING)"));
        return $"""
            SELECT transaction_id, "timestamp", {string.Join(", ", Family.Select(f => f.Name))}
            FROM (
                SELECT transaction_id, "timestamp", is_suspicious, {string.Join(", ", columns)}
                FROM (SELECT transaction_id, "timestamp", is_suspicious, amount, customer_id, epoch_ms("timestamp") AS ms FROM transactions)
                WINDOW {string.Join(", ", definitions)}
            )
            WHERE is_suspicious IS NOT NULL
            ORDER BY "timestamp", transaction_id
            """;
    }

    /// <summary>Rows of the two outputs, and rows missing from either or differing in a value of the family.</summary>
    internal static string CrossCheckQuery(string ours, string duck)
    {
        var differs = string.Join(" OR ", Family.Select(f => $"o.{f.Name} IS DISTINCT FROM d.{f.Name}"));
        return $"""
            SELECT count(*) AS rows, count(*) FILTER (WHERE o.transaction_id IS NULL OR d.transaction_id IS NULL OR {differs}) AS mismatches,
                count(d.transaction_id) AS duckdb_rows
            FROM read_parquet({Literal(ours)}) o FULL JOIN read_parquet({Literal(duck)}) d USING (transaction_id)
            """;
    }

    /// <summary>Generates the bench history unless the data directory already holds it for the same parameters.</summary>
    private static async Task PrepareAsync(
        string root, long transactions, long labels, long seed, int parallelism, Action<string> progress, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(root, MarkerFile);
        var parameters = JsonSerializer.Serialize(new Dictionary<string, long>
        {
            ["transactions"] = transactions,
            ["labels"] = labels,
            ["seed"] = seed,
        });
        if (File.Exists(marker) && await File.ReadAllTextAsync(marker, cancellationToken).ConfigureAwait(false) == parameters
            && DatasetLayout.TransactionFiles(root).Count > 0)
        {
            progress($"reusing the generated history in {root}");
            return;
        }

        Directory.CreateDirectory(root);
        File.Delete(marker);
        if (Directory.Exists(DatasetLayout.TransactionsDirectory(root)))
            Directory.Delete(DatasetLayout.TransactionsDirectory(root), recursive: true);
        var customers = (int)Math.Max(10, transactions / 90);
        var options = new SyntheticOptions
        {
            Customers = customers,
            Merchants = Math.Max(5, customers / 20),
            Days = 31,
            Seed = seed,
        };
        progress($"generating {transactions:N0} transactions ({options.Customers:N0} customers, {options.Merchants:N0} merchants), {labels:N0} of them labelled, into {root} (not measured; cached)");
        var every = Math.Max(1, transactions / Math.Max(1, labels));
        var index = 0L;
        var labelled = 0L;
        foreach (var day in new SyntheticGenerator(options).GenerateDays(parallelism))
        {
            var rows = new List<LabeledTransaction>(day.Transactions.Count);
            foreach (var row in day.Transactions)
            {
                if (index == transactions)
                    break;
                var keep = index % every == 0 && labelled < labels;
                labelled += keep ? 1 : 0;
                rows.Add(keep ? row : row with { IsSuspicious = null });
                index++;
            }

            if (rows.Count > 0)
                await TransactionParquetWriter.WriteDayAsync(root, day.Date, rows, cancellationToken).ConfigureAwait(false);
            if (index == transactions)
                break;
        }

        if (index < transactions)
            throw new InvalidOperationException($"the generator gave {index:N0} transactions, fewer than {transactions:N0}");
        await File.WriteAllTextAsync(marker, parameters, cancellationToken).ConfigureAwait(false);
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
