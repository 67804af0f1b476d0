using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amlfs.Cli.Bench;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs bench training-set</c>: the training-set builder against DuckDB's window functions over the same Parquet
/// (<see cref="TrainingSetBench"/>); prints one JSON line last.
/// </summary>
internal static class TrainingSetBenchCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var transactions = new Option<long>("--transactions") { Description = "Transactions of the generated history", DefaultValueFactory = _ => 10_000_000 };
        var labels = new Option<long>("--labels") { Description = "Labelled transactions among them: the training set's rows", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated history", DefaultValueFactory = _ => 42 };
        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "Where the generated history is kept and reused while the parameters match, and the outputs written",
            DefaultValueFactory = _ => Path.Combine("data", "bench-training-set"),
            HelpName = "DIR",
        };
        var parallelism = new Option<int>("--parallelism") { Description = "Threads of our build", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("training-set", "Build a training set from a generated store and compare with DuckDB's window functions over the same Parquet")
        {
            transactions, labels, seed, dataDirectory, parallelism,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(transactions);
            var rows = parse.GetValue(labels);
            var threads = parse.GetValue(parallelism);
            if (count is < 1 or > 100_000_000 || rows < 1 || rows > count || threads < 1)
            {
                await environment.Error.WriteLineAsync("amlfs bench training-set: --transactions must be between 1 and 100,000,000, --labels between 1 and --transactions, --parallelism at least 1");
                return 1;
            }

            return await RunAsync(environment, environment.Resolve(parse.GetValue(dataDirectory)!), count, rows, parse.GetValue(seed), threads, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, string root, long transactions, long labels, long seed, int parallelism, CancellationToken cancellationToken)
    {
        var console = environment.Console;
        console.MarkupLine(Invariant, "[bold]bench training-set[/]: {0:N0} transactions, {1:N0} label rows, seed {2}, {3} threads, {4} cores",
            transactions, labels, seed, parallelism, Environment.ProcessorCount);
        var result = await TrainingSetBench.RunAsync(console, root, transactions, labels, seed, parallelism,
            message => console.MarkupLine($"[grey]{Markup.Escape(message)}[/]"), cancellationToken);
        var summary = result.Summary;

        var table = new Table().AddColumns("measure", "value", "budget");
        table.AddRow("rows (labelled transactions)", summary.Rows.ToString("N0", Invariant), "");
        table.AddRow("history transactions (unlabelled)", string.Create(Invariant, $"{summary.HistoryTransactions:N0} ({summary.Unlabelled:N0})"), "");
        table.AddRow("amlfs, all features", string.Create(Invariant,
            $"{result.OurSeconds:N2} s ({result.OurCpuSeconds:N1} s CPU): read {summary.Read.TotalSeconds:N2} s, replay {summary.Replay.TotalSeconds:N2} s, write {summary.Write.TotalSeconds:N2} s; {summary.Features} feature columns"), "");
        table.AddRow("amlfs rows/s", result.RowsPerSecond.ToString("N0", Invariant), "");
        table.AddRow("duckdb, one family", string.Create(Invariant,
            $"{result.DuckDbSeconds:N2} s ({result.DuckDbCpuSeconds:N1} s CPU): {TrainingSetBench.Family.Length} columns ({string.Join(", ", TrainingSetBench.Family.Select(f => f.Name))}), {result.DuckDbRows:N0} rows"), "");
        table.AddRow("ratio amlfs / duckdb", result.DuckDbRatio.ToString("N2", Invariant), "<= 1.0");
        table.AddRow("machine load average (1 min) at the end", LoadAverage(), "");
        table.AddRow("cross-check on the family", string.Create(Invariant, $"{result.ComparedRows:N0} rows, {result.Mismatches:N0} differ"), "0");
        console.Write(table);

        environment.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = "training_set",
            ["rows_per_sec"] = Math.Round(result.RowsPerSecond),
            ["duckdb_ratio"] = Math.Round(result.DuckDbRatio, 3),
            ["amlfs_seconds"] = Math.Round(result.OurSeconds, 3),
            ["duckdb_seconds"] = Math.Round(result.DuckDbSeconds, 3),
            ["amlfs_cpu_seconds"] = Math.Round(result.OurCpuSeconds, 1),
            ["duckdb_cpu_seconds"] = Math.Round(result.DuckDbCpuSeconds, 1),
            ["rows"] = summary.Rows,
            ["transactions"] = summary.HistoryTransactions,
            ["mismatches"] = result.Mismatches,
        }));
        return result.Mismatches == 0 && result.ComparedRows == summary.Rows ? 0 : 1;
    }

    /// <summary>Other work on the machine skews wall-clock figures; the bench says how busy it was.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
