using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Import;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs import --format ibm-amlworld FILE [--patterns FILE]</c> and <c>amlfs import --format amlsim DIR</c>: reads a public labelled
/// dataset and writes it to the offline store as day partitions (<see cref="DatasetLayout"/>), beside whatever days the
/// store already holds. Exit code 0 when at least one row was imported, rejected rows notwithstanding; 1 on a fatal
/// error (missing input, wrong header, bad option, existing partitions without <c>--force</c>) or when nothing was.
/// </summary>
internal static class ImportCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var amlsimDefaults = new AmlsimOptions();
        var format = new Option<string>("--format")
        {
            Description = $"Input format: {IbmAmlworldImporter.FormatName} (a CSV file) or {AmlsimImporter.FormatName} (an output directory)",
            Required = true,
        };
        format.AcceptOnlyFromAmong(IbmAmlworldImporter.FormatName, AmlsimImporter.FormatName);
        var input = new Argument<string>("path") { Description = "The file (ibm-amlworld) or directory (amlsim) to import" };
        // --data-dir, as every other command names the data directory; --out stays for scripts that use it.
        var output = new Option<string>("--data-dir", "--out")
        {
            Description = "Data directory: partitions go to DIR/transactions/date=YYYY-MM-DD",
            DefaultValueFactory = _ => "data",
        };
        // No DefaultValueFactory: help would print the default date in the current culture's ambiguous short form.
        var start = new Option<DateOnly?>("--start")
        {
            Description = string.Create(Invariant,
                $"amlsim: UTC day of the run's first step (time 1 of a sample run, step 0 of tx_log.csv; dated rows keep their dates), YYYY-MM-DD [default: {amlsimDefaults.Start:yyyy-MM-dd}, a Monday]"),
            HelpName = "YYYY-MM-DD",
        };
        var currency = new Option<string?>("--currency")
        {
            Description = $"amlsim: ISO 4217 code of the values [default: {amlsimDefaults.Currency}]",
            HelpName = "CODE",
        };
        var patterns = new Option<string?>("--patterns")
        {
            Description = "ibm-amlworld: IBM's patterns file (HI-Small_Patterns.txt, ...) that gives each laundering row the typology of its attempt",
            HelpName = "FILE",
        };
        var force = new Option<bool>("--force") { Description = "Replace the existing partitions of the imported days" };

        var command = new Command("import", "Import a public labelled AML dataset (IBM AMLworld, AMLSim) into the offline store")
        {
            format, output, start, currency, patterns, force,
        };
        command.Arguments.Add(input);
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new Request(
                parse.GetValue(format)!,
                environment.Resolve(parse.GetValue(input)!),
                environment.Resolve(parse.GetValue(output)!),
                new AmlsimOptions
                {
                    Start = parse.GetValue(start) ?? amlsimDefaults.Start,
                    Currency = parse.GetValue(currency) ?? amlsimDefaults.Currency,
                },
                parse.GetValue(patterns) is { } patternsFile ? environment.Resolve(patternsFile) : null,
                parse.GetValue(force));
            var problems = new List<string>();
            if (request.Format == AmlsimImporter.FormatName)
            {
                problems.AddRange(request.Amlsim.Validate().Select(p => "--" + p));
                if (request.Patterns is not null)
                    problems.Add($"--patterns applies to --format {IbmAmlworldImporter.FormatName} only");
            }
            else if (parse.GetResult(start) is not null || parse.GetResult(currency) is not null)
            {
                problems.Add($"--start and --currency apply to --format {AmlsimImporter.FormatName} only");
            }

            if (File.Exists(request.Output))
                problems.Add($"--out {request.Output} is a file, not a directory");
            return RunAsync(request, problems, environment, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Request request, List<string> problems, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var errors = environment.Error;
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
                await errors.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
            return 1;
        }

        var clock = Stopwatch.StartNew();
        var report = new ImportReport();
        OfflineStoreImportResult? written = null;
        try
        {
            await environment.Console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var reading = context.AddTask("Reading", maxValue: 1);
                    var rows = Read(request, report);
                    reading.Description = string.Create(Invariant, $"Read {report.RowsRead:N0} rows");
                    reading.Increment(1);
                    if (rows.Count == 0)
                        return;

                    var days = context.AddTask("Writing days", maxValue: rows.Select(r => r.Transaction.Timestamp.UtcDateTime.Date).Distinct().Count());
                    written = await OfflineStoreImport.WriteAsync(
                        request.Output, rows, request.Force, _ => days.Increment(1), cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        catch (ImportException e)
        {
            await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"error: cannot read {request.Input} or write to {request.Output}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        foreach (var error in report.Errors)
            await errors.WriteLineAsync(error.ToString()).ConfigureAwait(false);
        if (report.ErrorCount > report.Errors.Count)
            await errors.WriteLineAsync(string.Create(Invariant, $"... and {report.ErrorCount - report.Errors.Count:N0} more errors")).ConfigureAwait(false);

        environment.Console.Write(SummaryTable(request, report, written, clock.Elapsed));
        foreach (var note in report.Notes)
            environment.Console.WriteLine("note: " + note);
        environment.Console.WriteLine(string.Create(Invariant, $"{report.Imported:N0} imported, {report.Rejected:N0} rejected"));
        if (written is null)
        {
            await errors.WriteLineAsync($"error: nothing to import from {request.Input}").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    private static IReadOnlyList<LabeledTransaction> Read(Request request, ImportReport report) => request.Format switch
    {
        IbmAmlworldImporter.FormatName => IbmAmlworldImporter.ReadFile(
            request.Input, report, request.Patterns is null ? null : IbmAmlworldPatterns.ReadFile(request.Patterns)),
        _ => AmlsimImporter.ReadDirectory(request.Input, request.Amlsim, report),
    };

    private static Table SummaryTable(Request request, ImportReport report, OfflineStoreImportResult? written, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Imported").AddColumn(new TableColumn("Value").RightAligned());
        void Row(string name, string value) => table.AddRow(new IRenderable[] { new Text(name), new Text(value) });

        Row("Source", $"{request.Format} {request.Input}");
        Row("Rows read", report.RowsRead.ToString("N0", Invariant));
        Row("Imported", report.Imported.ToString("N0", Invariant));
        Row("Rejected", report.Rejected.ToString("N0", Invariant));
        if (report.ErrorCount > report.Rejected)
            Row("Other errors", string.Create(Invariant, $"{report.ErrorCount - report.Rejected:N0} (in the files beside the transactions)"));
        Row("Suspicious", string.Create(Invariant, $"{report.Suspicious:N0} ({report.SuspiciousRejected:N0} more labelled but rejected)"));
        foreach (var (typology, count) in report.ByTypology.OrderBy(t => t.Key, StringComparer.Ordinal))
            Row("  " + typology, count.ToString("N0", Invariant));
        if (report.Suspicious > 0)
            Row("  tied to their pattern", string.Create(Invariant, $"{report.Matched:N0} ({report.Unmatched:N0} not: see the notes)"));
        Row("Amounts rounded to the cent", report.AmountsRounded.ToString("N0", Invariant));
        if (written is not null)
        {
            Row("Days written", string.Create(Invariant,
                $"{written.Days:N0} ({written.PartitionsReplaced:N0} replaced)"));
            Row("Time span", string.Create(Invariant, $"{written.First:yyyy-MM-dd HH:mm:ss} to {written.Last:yyyy-MM-dd HH:mm:ss} UTC"));
            Row("Files", string.Create(Invariant,
                $"{written.Files.Count:N0} ({written.Bytes / 1_048_576.0:N1} MiB) in {DatasetLayout.TransactionsDirectory(request.Output)}"));
        }

        Row("Elapsed", string.Create(Invariant, $"{elapsed.TotalSeconds:N1} s"));
        return table;
    }

    private sealed record Request(string Format, string Input, string Output, AmlsimOptions Amlsim, string? Patterns, bool Force);
}
