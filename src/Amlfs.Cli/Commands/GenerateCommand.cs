using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Parquet;
using Amlfs.Synthetic;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs generate</c>: writes a synthetic, labelled transaction history as a Parquet dataset
/// (<see cref="DatasetLayout"/>). Days are generated ahead on every core and written in date order.
/// </summary>
internal static class GenerateCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="console">Where the progress bar and the summary go; the process console when null.</param>
    public static Command Create(IAnsiConsole? console = null)
    {
        var defaults = new SyntheticOptions();
        var customers = new Option<int>("--customers")
        {
            Description = "Number of customers",
            DefaultValueFactory = _ => defaults.Customers,
        };
        var merchants = new Option<int>("--merchants")
        {
            Description = "Number of merchants",
            DefaultValueFactory = _ => defaults.Merchants,
        };
        var days = new Option<int>("--days")
        {
            Description = "Number of days, one Parquet partition each",
            DefaultValueFactory = _ => defaults.Days,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Random seed: the same seed and options give the same files, byte for byte",
            DefaultValueFactory = _ => defaults.Seed,
        };
        // No DefaultValueFactory: help would print the default date in the current culture's ambiguous short form.
        var start = new Option<DateOnly?>("--start")
        {
            Description = string.Create(Invariant, $"First UTC day, YYYY-MM-DD [default: {defaults.Start:yyyy-MM-dd}, a Monday]"),
            HelpName = "YYYY-MM-DD",
        };
        var timeZone = new Option<string>("--timezone")
        {
            Description = "IANA time zone of the customers' daily rhythm and of night activity",
            DefaultValueFactory = _ => defaults.TimeZone,
        };
        // --data-dir, as every other command names the data directory; --out stays for scripts that use it.
        var output = new Option<string>("--data-dir", "--out")
        {
            Description = "Data directory whose offline store receives the history",
            DefaultValueFactory = _ => "data",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Replace a dataset that the output directory already holds",
        };
        var typologies = new Option<string?>("--typologies")
        {
            Description = "YAML file of typology rates and shapes, read over the built-in typologies.yaml",
            HelpName = "FILE",
        };
        var parallelism = new Option<int>("--parallelism")
        {
            Description = "Days generated at once; the number of cores by default",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };

        var command = new Command("generate", "Generate a synthetic, labelled AML transaction history as Parquet files")
        {
            customers, merchants, days, seed, start, timeZone, typologies, output, force, parallelism,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new SyntheticOptions
            {
                Customers = parse.GetValue(customers),
                Merchants = parse.GetValue(merchants),
                Days = parse.GetValue(days),
                Seed = parse.GetValue(seed),
                Start = parse.GetValue(start) ?? defaults.Start,
                TimeZone = parse.GetValue(timeZone)!,
            };
            var request = new Request(
                options, parse.GetValue(typologies), parse.GetValue(output)!, parse.GetValue(force), parse.GetValue(parallelism));
            return RunAsync(request, console ?? AnsiConsole.Console, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Request request, IAnsiConsole console, TextWriter errors, CancellationToken cancellationToken)
    {
        // A typologies file's errors name the file, line and key; the options' own names are the command's option
        // names, so their messages read as "--customers must be ...".
        var problems = new List<string>();
        if (request.TypologyFile is { } file)
        {
            try
            {
                request = request with { Options = request.Options with { Laundering = TypologyConfig.LoadFile(file) } };
            }
            catch (TypologyConfigException e)
            {
                problems.AddRange(e.Errors);
            }
        }

        problems.AddRange(request.Options.Validate().Select(p => "--" + p));
        if (request.Parallelism < 1)
            problems.Add($"--parallelism must be at least 1, got {request.Parallelism.ToString(Invariant)}");
        if (problems.Count == 0 && PrepareDirectory(request) is { } directoryProblem)
            problems.Add(directoryProblem);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
                await errors.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
            return 1;
        }

        try
        {
            var summary = await GenerateAsync(request, console, cancellationToken).ConfigureAwait(false);
            console.Write(SummaryTable(request, summary));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"error: cannot write to {request.Output}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Creates the output directory and proves it writable; returns the problem, or null.</summary>
    private static string? PrepareDirectory(Request request)
    {
        var root = request.Output;
        try
        {
            if (File.Exists(root))
                return $"--out {root} is a file, not a directory";
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".amlfs-write-test-{Environment.ProcessId.ToString(Invariant)}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);

            var existing = Directory.Exists(DatasetLayout.TransactionsDirectory(root))
                || File.Exists(DatasetLayout.CustomersPath(root))
                || File.Exists(DatasetLayout.MerchantsPath(root));
            if (existing && !request.Force)
                return $"--out {root} already holds a dataset; pass --force to replace it";
            if (existing)
            {
                if (Directory.Exists(DatasetLayout.TransactionsDirectory(root)))
                    Directory.Delete(DatasetLayout.TransactionsDirectory(root), recursive: true);
                File.Delete(DatasetLayout.CustomersPath(root));
                File.Delete(DatasetLayout.MerchantsPath(root));
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"--out {root} is not a writable directory: {e.Message}";
        }
    }

    private static async Task<Summary> GenerateAsync(Request request, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var options = request.Options;
        var summary = new Summary();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var profiles = context.AddTask("Profiles", maxValue: 1);
                var generator = new SyntheticGenerator(options);
                await ProfileParquetWriter.WriteCustomersAsync(DatasetLayout.CustomersPath(request.Output), generator.Customers, cancellationToken).ConfigureAwait(false);
                await ProfileParquetWriter.WriteMerchantsAsync(DatasetLayout.MerchantsPath(request.Output), generator.Merchants, cancellationToken).ConfigureAwait(false);
                summary.AddFile(DatasetLayout.CustomersPath(request.Output));
                summary.AddFile(DatasetLayout.MerchantsPath(request.Output));
                profiles.Increment(1);

                var daysTask = context.AddTask("Days", maxValue: options.Days);
                async Task Finish(Task<(DayBatch Day, string Path)> write)
                {
                    var (day, path) = await write.ConfigureAwait(false);
                    summary.AddDay(day, path);
                    daysTask.Description = string.Create(Invariant, $"Days ({summary.Transactions:N0} transactions)");
                    daysTask.Increment(1);
                }

                // Writing costs more than generating, so days are written concurrently too (each to its own file), and
                // finished in date order. At most 2 x parallelism + 1 days are in memory.
                var writes = new Queue<Task<(DayBatch Day, string Path)>>();
                foreach (var day in generator.GenerateDays(request.Parallelism))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    writes.Enqueue(Task.Run(async () =>
                        (day, await TransactionParquetWriter.WriteDayAsync(request.Output, day.Date, day.Transactions, cancellationToken).ConfigureAwait(false)),
                        cancellationToken));
                    if (writes.Count >= request.Parallelism)
                        await Finish(writes.Dequeue()).ConfigureAwait(false);
                }

                while (writes.Count > 0)
                    await Finish(writes.Dequeue()).ConfigureAwait(false);
            }).ConfigureAwait(false);
        summary.Elapsed = clock.Elapsed;
        return summary;
    }

    private static Table SummaryTable(Request request, Summary summary)
    {
        var options = request.Options;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Generated").AddColumn(new TableColumn("Value").RightAligned());
        void Row(string name, string value) => table.AddRow(new IRenderable[] { new Text(name), new Text(value) });

        var last = options.Start.AddDays(options.Days - 1);
        Row("Days", string.Create(Invariant, $"{options.Days:N0} ({options.Start:yyyy-MM-dd} to {last:yyyy-MM-dd})"));
        Row("Customers", options.Customers.ToString("N0", Invariant));
        Row("Merchants", options.Merchants.ToString("N0", Invariant));
        Row("Typologies", request.TypologyFile ?? $"built in ({TypologyConfig.DefaultFileName})");
        Row("Transactions", summary.Transactions.ToString("N0", Invariant));
        var share = summary.Transactions == 0 ? 0 : (double)summary.Suspicious / summary.Transactions;
        Row("Suspicious", string.Create(Invariant, $"{summary.Suspicious:N0} ({share:P2})"));
        foreach (var typology in Typologies.All)
            Row("  " + typology, summary.ByTypology.GetValueOrDefault(typology).ToString("N0", Invariant));
        Row("Files", string.Create(Invariant, $"{summary.Files:N0} ({summary.Bytes / 1_048_576.0:N1} MiB) in {Path.GetFullPath(request.Output)}"));
        Row("Elapsed", string.Create(Invariant, $"{summary.Elapsed.TotalSeconds:N1} s"));
        var rate = summary.Elapsed.TotalSeconds > 0 ? summary.Transactions / summary.Elapsed.TotalSeconds : 0;
        Row("Rate", string.Create(Invariant, $"{rate:N0} transactions/s"));
        return table;
    }

    private sealed record Request(SyntheticOptions Options, string? TypologyFile, string Output, bool Force, int Parallelism);

    private sealed class Summary
    {
        public long Transactions { get; private set; }
        public long Suspicious { get; private set; }
        public Dictionary<string, long> ByTypology { get; } = new(StringComparer.Ordinal);
        public int Files { get; private set; }
        public long Bytes { get; private set; }
        public TimeSpan Elapsed { get; set; }

        public void AddDay(DayBatch day, string path)
        {
            Transactions += day.Transactions.Count;
            foreach (var row in day.Transactions)
            {
                if (row.IsSuspicious != true)
                    continue;
                Suspicious++;
                ByTypology[row.Typology] = ByTypology.GetValueOrDefault(row.Typology) + 1;
            }

            AddFile(path);
        }

        public void AddFile(string path)
        {
            Files++;
            Bytes += new FileInfo(path).Length;
        }
    }
}
