using System.CommandLine;
using System.Globalization;
using Amlfs.Cli.Training;
using Amlfs.Engine;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Training;
using Amlfs.Registry;
using Amlfs.Storage;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs training-set</c>: a point-in-time training set from the offline store, by replaying the engine under the
/// active definitions (<see cref="TrainingSetBuilder"/>).
/// </summary>
internal static class TrainingSetCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var labels = new Option<string?>("--labels")
        {
            Description = "Label rows, CSV or Parquet: entity_id, timestamp (ISO-8601), label (0/1/true/false), optional entity. "
                + "Without it: every labelled transaction of the store, as of its own time",
            HelpName = "FILE",
        };
        var output = new Option<string>("--out") { Description = "Output Parquet file", Required = true, HelpName = "FILE.parquet" };
        var entity = new Option<string>("--entity")
        {
            Description = "Entity type of the label rows",
            DefaultValueFactory = _ => "customer",
        };
        var labelCutoff = PeriodOption.Create("--label-cutoff",
            "Only labels known before this instant (a case closed later leaves its transactions unlabelled), as `amlfs train` cuts at the end of its window; "
            + "every label known now by default; not with --labels");
        var dataDirectory = DataDirectoryOption.Create();
        var parallelism = new Option<int>("--parallelism")
        {
            Description = "Threads; the number of cores by default",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var raw = SqlCommand.RawPersonalDataOption();
        var command = new Command("training-set", "Build a point-in-time training set from the offline store by replaying the engine")
        {
            labels, output, entity, labelCutoff, dataDirectory, parallelism, raw,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            environment, parse.GetValue(labels), parse.GetValue(output)!, parse.GetValue(entity)!, parse.GetValue(labelCutoff), parse.GetValue(dataDirectory)!,
            parse.GetValue(parallelism), parse.GetValue(raw), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, string? labelsFile, string output, string entityName, DateTimeOffset? labelCutoff, string dataDirectory,
        int parallelism, bool rawPersonalData, CancellationToken cancellationToken)
    {
        var errors = environment.Error;
        if (labelCutoff is not null && labelsFile is not null)
        {
            await errors.WriteLineAsync("amlfs training-set: --label-cutoff applies to the store's labels; a --labels file carries its own").ConfigureAwait(false);
            return 1;
        }

        if (parallelism < 1)
        {
            await errors.WriteLineAsync($"amlfs training-set: --parallelism must be at least 1, got {parallelism.ToString(Invariant)}").ConfigureAwait(false);
            return 1;
        }

        var root = environment.Resolve(dataDirectory);
        var definition = new RegistryStore(root).Active.Definition;
        var plan = FeaturePlan.Compile(definition);
        if (plan.Entity(entityName) is null)
        {
            await errors.WriteLineAsync($"amlfs training-set: --entity must be one of {string.Join(", ", plan.Entities.Select(e => e.Name))}, got '{entityName}'").ConfigureAwait(false);
            return 1;
        }

        if (DatasetLayout.TransactionFiles(root).Count == 0)
        {
            await errors.WriteLineAsync($"amlfs training-set: the offline store at {root} holds no transactions: run `amlfs generate` or `amlfs import` first").ConfigureAwait(false);
            return 1;
        }

        LabelRows? labels = null;
        if (labelsFile is not null)
        {
            try
            {
                labels = await LabelFileReader.ReadAsync(environment.Resolve(labelsFile), entityName, cancellationToken).ConfigureAwait(false);
            }
            catch (LabelFileException e)
            {
                foreach (var problem in e.Problems)
                    await errors.WriteLineAsync(problem).ConfigureAwait(false);
                return 1;
            }
        }

        // An entity joined on an IP address or a device id is written by its pseudonym, as amlfs sql shows it.
        var joinKey = plan.Entity(entityName)!.JoinKey;
        var personal = joinKey is TransactionField.IpAddress or TransactionField.DeviceId;
        if (labels is not null && personal && !rawPersonalData)
        {
            try
            {
                var pseudonyms = SqlCommand.Pseudonyms(environment, root).Pseudonyms;
                Func<string?, string?> pseudonym = joinKey == TransactionField.IpAddress ? pseudonyms.IpAddress : pseudonyms.DeviceId;
                labels = labels with { OutputIds = [.. labels.EntityIds.Select(id => pseudonym(id)!)] };
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                await errors.WriteLineAsync($"amlfs training-set: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        var target = environment.Resolve(output);
        var options = EngineOptions.From(definition);
        try
        {
            var summary = await TrainingSetProgressBars.BuildAsync(environment.Console, root, plan, options, labels,
                new TransactionRowSelection { CutoffMs = labelCutoff?.ToUnixTimeMilliseconds() }, target, parallelism, cancellationToken).ConfigureAwait(false);
            Print(environment.Console, summary, target);
            if (labels is not null && personal && rawPersonalData
                && SqlCommand.RecordRawExport(environment, root, "training-set", new Dictionary<string, string?> { ["entity"] = entityName, ["out"] = target }) is { } failure)
            {
                await errors.WriteLineAsync($"amlfs training-set: {failure}").ConfigureAwait(false);
                return 1;
            }

            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"amlfs training-set: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static void Print(IAnsiConsole console, TrainingSetSummary summary, string output)
    {
        var table = new Table().AddColumns("training set", "value");
        table.AddRow("rows", summary.Rows.ToString("N0", Invariant));
        table.AddRow("feature columns", summary.Features.ToString(Invariant));
        table.AddRow("history", string.Create(Invariant,
            $"{summary.HistoryTransactions:N0} transactions in {summary.Files:N0} files ({summary.Unlabelled:N0} unlabelled, {summary.Duplicates:N0} duplicate ids skipped)"));
        table.AddRow("time", string.Create(Invariant,
            $"{summary.Elapsed.TotalSeconds:N2} s (read {summary.Read.TotalSeconds:N2} s, replay {summary.Replay.TotalSeconds:N2} s, write {summary.Write.TotalSeconds:N2} s)"));
        var rate = summary.Elapsed.TotalSeconds > 0 ? summary.Rows / summary.Elapsed.TotalSeconds : 0;
        table.AddRow("rate", string.Create(Invariant, $"{rate:N0} rows/s"));
        table.AddRow("file", Markup.Escape(output));
        console.Write(table);
    }
}
