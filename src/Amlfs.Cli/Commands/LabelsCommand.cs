using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amlfs.Cases;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Labels;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs labels export</c>: the offline store's label table (the labels closed cases gave, and those imported), as
/// CSV, JSON lines or Parquet, for other tools. Each row names its transaction, its customer and case when a case gave
/// it, the label, the typology and when the label became known. The case log is read beside a running server, without
/// opening it.
/// </summary>
internal static class LabelsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataDirectory = DataDirectoryOption.Create();
        var from = PeriodOption.Create("--from", "Only labels known at or after this instant");
        var to = PeriodOption.Create("--to", "Only labels known before this instant");
        var format = new Option<string>("--format") { Description = "csv, jsonl or parquet", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl", "parquet");
        var output = new Option<string?>("--output") { Description = "The file to write; standard output when left out (not for parquet)", HelpName = "FILE" };
        var export = new Command("export", "Write the label table: transaction_id, customer_id, label, typology, known_at, source, case_id");
        export.Options.Add(dataDirectory);
        export.Options.Add(from);
        export.Options.Add(to);
        export.Options.Add(format);
        export.Options.Add(output);
        export.SetAction((parse, cancellationToken) => ExportAsync(environment, parse.GetValue(dataDirectory)!, parse.GetValue(from), parse.GetValue(to),
            parse.GetValue(format)!, parse.GetValue(output), cancellationToken));

        var command = new Command("labels", "The labels that became known after their transactions: closed cases' dispositions, imported labels");
        command.Subcommands.Add(export);
        return command;
    }

    /// <summary>Writes the labels; 1 when the store cannot be read or the output written.</summary>
    public static async Task<int> ExportAsync(
        CliEnvironment environment, string dataDirectory, DateTimeOffset? from, DateTimeOffset? to, string format, string? output, CancellationToken cancellationToken)
    {
        if (format == "parquet" && output is null)
        {
            await environment.Error.WriteLineAsync("amlfs labels export: --format parquet needs --output FILE");
            return 1;
        }

        var root = environment.Resolve(dataDirectory);
        List<ExportedLabel> labels;
        try
        {
            labels = await ReadAsync(root, from, to, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await environment.Error.WriteLineAsync($"amlfs labels export: {e.Message}");
            return 1;
        }

        try
        {
            if (format == "parquet")
            {
                await LabelExportParquet.WriteAsync(environment.Resolve(output!), labels, cancellationToken);
            }
            else if (output is null)
            {
                await WriteTextAsync(environment.Output, labels, format);
            }
            else
            {
                await using var file = new StreamWriter(environment.Resolve(output), append: false, new UTF8Encoding(false));
                await WriteTextAsync(file, labels, format);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await environment.Error.WriteLineAsync($"amlfs labels export: cannot write {output}: {e.Message}");
            return 1;
        }

        if (output is not null)
            await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{labels.Count} labels written to {output}"));
        return 0;
    }

    /// <summary>The label table's rows known in [from, to), in order of knowledge, with the customer of those a case gave.</summary>
    private static async Task<List<ExportedLabel>> ReadAsync(string root, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var table = await LabelTable.ReadAsync(root, cancellationToken);
        // The customer of each (case, transaction) that a case's alerts name.
        var customers = new Dictionary<(string Case, string Transaction), string>();
        foreach (var e in CaseLog.ReadCommittedFiles(DatasetLayout.CasesDirectory(root)))
        {
            if (e.Alert is { } alert)
                customers[(CaseNames.Id(e.CaseNumber), alert.TransactionId)] = alert.CustomerId;
        }

        var fromMs = from?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var toMs = to?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        return table
            .Where(l => l.KnownAtMs >= fromMs && l.KnownAtMs < toMs)
            .OrderBy(l => l.KnownAtMs)
            .Select(l =>
            {
                var caseId = LabelSources.CaseOf(l.Source);
                var customer = caseId is not null && customers.TryGetValue((caseId, l.TransactionId), out var c) ? c : null;
                return new ExportedLabel(l.TransactionId, customer, l.IsSuspicious, l.Typology, l.KnownAtMs, l.Source, caseId);
            })
            .ToList();
    }

    private static async Task WriteTextAsync(TextWriter writer, List<ExportedLabel> labels, string format)
    {
        if (format == "csv")
        {
            await writer.WriteLineAsync("transaction_id,customer_id,label,typology,known_at,source,case_id");
            foreach (var l in labels)
            {
                await writer.WriteLineAsync(string.Join(',', Csv(l.TransactionId), Csv(l.CustomerId), l.Label ? "1" : "0", Csv(l.Typology),
                    KnownAt(l.KnownAtMs), Csv(l.Source), Csv(l.CaseId)));
            }

            return;
        }

        foreach (var l in labels)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("transaction_id", l.TransactionId);
                json.WriteString("customer_id", l.CustomerId);
                json.WriteNumber("label", l.Label ? 1 : 0);
                json.WriteString("typology", l.Typology);
                json.WriteString("known_at", KnownAt(l.KnownAtMs));
                json.WriteString("source", l.Source);
                json.WriteString("case_id", l.CaseId);
                json.WriteEndObject();
            }

            await writer.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    private static string KnownAt(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A CSV field: quoted when it holds a comma, a quote or a line break; empty for null.</summary>
    private static string Csv(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
