using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amlfs.Audit;
using Amlfs.Engine;
using Amlfs.Learning.Models;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Storage;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs models list|show|activate|rollback</c>: the model versions of a data directory (<see cref="ModelRegistry"/>)
/// and which one scores. A running server follows activations within a second.
/// </summary>
internal static class ModelsCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("models", "List, inspect, activate and roll back trained risk models");

        var listData = DataDirectoryOption.Create();
        var list = new Command("list", "Every model version, with its metrics; the active one is marked") { listData };
        list.SetAction(parse => List(environment, parse.GetValue(listData)!));

        var showData = DataDirectoryOption.Create();
        var showVersion = new Argument<string>("version") { Description = "A version (gbt-N), or active" };
        var show = new Command("show", "A model's manifest as JSON: features, window, data, parameters, thresholds, metrics") { showVersion, showData };
        show.SetAction(parse => Show(environment, parse.GetValue(showData)!, parse.GetValue(showVersion)!));

        var activateData = DataDirectoryOption.Create();
        var activateVersion = new Argument<string>("version") { Description = "A version (gbt-N), or rules" };
        var activate = new Command("activate", "Make a version the one that scores (rules: the rules model)") { activateVersion, activateData };
        activate.SetAction(parse => Activate(environment, parse.GetValue(activateData)!, parse.GetValue(activateVersion)!));

        var rollbackData = DataDirectoryOption.Create();
        var rollback = new Command("rollback", "Make the previously active version active again") { rollbackData };
        rollback.SetAction(parse => Rollback(environment, parse.GetValue(rollbackData)!));

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(activate);
        command.Subcommands.Add(rollback);
        return command;
    }

    /// <summary>
    /// The inputs of <paramref name="manifest"/> that the active definitions of <paramref name="dataDirectory"/> do not
    /// produce; empty when the model can score there.
    /// </summary>
    public static IReadOnlyList<string> MissingInputs(ModelManifest manifest, string dataDirectory)
    {
        var plan = FeaturePlan.Compile(new RegistryStore(dataDirectory).Active.Definition);
        var available = plan.Entity("customer") is null
            ? new HashSet<string>(StringComparer.Ordinal)
            : ModelInputLayout.Of(plan).Names.ToHashSet(StringComparer.Ordinal);
        return manifest.FeatureNames.Where(n => !available.Contains(n)).ToArray();
    }

    private static int List(CliEnvironment environment, string dataDirectory)
    {
        var registry = new ModelRegistry(environment.Resolve(dataDirectory));
        return Run(environment, "list", () =>
        {
            var active = registry.ActiveVersion;
            var table = new Table().AddColumns("version", "active", "created", "window", "train rows", "validation PR-AUC", "test PR-AUC", "HIGH from");
            table.AddRow(ModelKinds.Rules, active is null ? "*" : "", "", "", "", "", "", "");
            foreach (var m in registry.List())
            {
                table.AddRow(
                    m.Version, m.Version == active ? "*" : "", m.CreatedAt.ToString("yyyy-MM-dd HH:mm", Invariant),
                    $"{m.Window.From:yyyy-MM-dd} to {m.Window.To:yyyy-MM-dd}", m.Data.Train.Rows.ToString("N0", Invariant),
                    m.Validation.PrAuc.ToString("0.0000", Invariant), m.Test.PrAuc.ToString("0.0000", Invariant),
                    m.Thresholds.High.ToString("0.0000", Invariant));
            }

            environment.Console.Write(table);
            return 0;
        });
    }

    private static int Show(CliEnvironment environment, string dataDirectory, string version)
    {
        var registry = new ModelRegistry(environment.Resolve(dataDirectory));
        return Run(environment, "show", () =>
        {
            var name = version == "active" ? registry.ActiveVersion : version;
            if (name is null)
            {
                environment.Output.WriteLine("""{"version":"rules","kind":"rules"}""");
                return 0;
            }

            if (registry.Find(name) is not { } manifest)
                return Fail(environment, "show", $"no model version '{name}' in {registry.Directory}");
            environment.Output.WriteLine(JsonSerializer.Serialize(manifest, ModelRegistryJson.Default.ModelManifest));
            return 0;
        });
    }

    private static int Activate(CliEnvironment environment, string dataDirectory, string version)
    {
        var root = environment.Resolve(dataDirectory);
        var registry = new ModelRegistry(root);
        return Run(environment, "activate", () =>
        {
            var previous = registry.ActiveVersion ?? ModelKinds.Rules;
            if (version == ModelKinds.Rules)
            {
                registry.Activate(null, environment.Clock.GetUtcNow());
                environment.Output.WriteLine("active: rules");
                return Audited(environment, root, "activate", AuditActions.ModelActivated, ModelKinds.Rules, previous);
            }

            if (registry.Find(version) is not { } manifest)
                return Fail(environment, "activate", $"no model version '{version}' in {registry.Directory}");
            var missing = MissingInputs(manifest, root);
            if (missing.Count > 0)
            {
                return Fail(environment, "activate",
                    $"{version} reads features the active definitions do not define: {string.Join(", ", missing)}");
            }

            _ = registry.ModelText(manifest);
            registry.Activate(version, environment.Clock.GetUtcNow());
            environment.Output.WriteLine($"active: {version}");
            return Audited(environment, root, "activate", AuditActions.ModelActivated, version, previous);
        });
    }

    private static int Rollback(CliEnvironment environment, string dataDirectory)
    {
        var root = environment.Resolve(dataDirectory);
        var registry = new ModelRegistry(root);
        return Run(environment, "rollback", () =>
        {
            var previous = registry.ActiveVersion ?? ModelKinds.Rules;
            var version = registry.Rollback(environment.Clock.GetUtcNow()) ?? ModelKinds.Rules;
            environment.Output.WriteLine($"active: {version}");
            return Audited(environment, root, "rollback", AuditActions.ModelRolledBack, version, previous);
        });
    }

    /// <summary>
    /// Records a change of the active model (<paramref name="version"/> now scores, <paramref name="previous"/> did) in
    /// the audit trail; 0, or 1 with the reason when it could not be recorded.
    /// </summary>
    internal static int Audited(CliEnvironment environment, string root, string verb, string action, string version, string previous)
    {
        var problem = CliAudit.Record(environment, root, action, version, new Dictionary<string, string?>(StringComparer.Ordinal) { ["previous"] = previous });
        return problem is null ? 0 : Fail(environment, verb, problem);
    }

    private static int Run(CliEnvironment environment, string verb, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException
            or DefinitionException or JsonException)
        {
            return Fail(environment, verb, e.Message);
        }
    }

    private static int Fail(CliEnvironment environment, string verb, string message)
    {
        environment.Error.WriteLine($"amlfs models {verb}: {message}");
        return 1;
    }
}
