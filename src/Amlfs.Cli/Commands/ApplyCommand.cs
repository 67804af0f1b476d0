using System.CommandLine;
using System.Globalization;
using Amlfs.Audit;
using Amlfs.Registry;
using Amlfs.Storage;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary><c>amlfs apply [file]</c>: validates definitions, prints the diff, stores a new registry version.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var file = new Argument<string?>("file")
        {
            Description = $"Definitions file (default: {DefinitionsLoader.DefaultFileName} in the current directory)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var dataDirectory = DataDirectoryOption.Create();
        var command = new Command("apply", "Validate a definitions file, print the diff against the active version and store it as a new version");
        command.Arguments.Add(file);
        command.Options.Add(dataDirectory);
        command.SetAction(parse => Run(environment, parse.GetValue(file), parse.GetValue(dataDirectory)!));
        return command;
    }

    /// <summary>
    /// Exit code 0 when the file is valid (stored as a new version, or equal to the active one); 1 when it cannot be
    /// read, is invalid (every error on standard error as <c>file:line: field: reason</c>) or the store fails.
    /// </summary>
    public static int Run(CliEnvironment environment, string? file, string dataDirectory)
    {
        var name = file ?? DefinitionsLoader.DefaultFileName;
        string text;
        try
        {
            text = File.ReadAllText(environment.Resolve(name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e switch
            {
                FileNotFoundException => "no such file",
                DirectoryNotFoundException => "no such directory",
                _ => e.Message,
            };
            environment.Error.WriteLine($"amlfs apply: cannot read {name}: {reason}");
            return 1;
        }

        var root = environment.Resolve(dataDirectory);
        RegistryApplyResult result;
        try
        {
            result = new RegistryStore(root).Apply(text, name, environment.Clock.GetUtcNow());
        }
        catch (DefinitionException e)
        {
            foreach (var error in e.Errors)
                environment.Error.WriteLine(error);
            environment.Error.WriteLine($"amlfs apply: {e.Errors.Count} {(e.Errors.Count == 1 ? "error" : "errors")}; nothing was applied");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            environment.Error.WriteLine($"amlfs apply: {e.Message}");
            return 1;
        }

        Print(environment.Console, result);
        if (!result.Stored)
            return 0;
        var details = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["file"] = name,
            ["previous"] = result.Previous.Number.ToString(CultureInfo.InvariantCulture),
            ["features"] = result.Active.FeatureCount.ToString(CultureInfo.InvariantCulture),
            ["changes"] = result.Diff.Changes.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (CliAudit.Record(environment, root, AuditActions.DefinitionsApplied, result.Active.Number.ToString(CultureInfo.InvariantCulture), details) is { } problem)
        {
            environment.Error.WriteLine($"amlfs apply: {problem}");
            return 1;
        }

        return 0;
    }

    private static void Print(IAnsiConsole console, RegistryApplyResult result)
    {
        var previous = result.Previous;
        if (!result.Stored)
        {
            console.MarkupLine($"No changes: registry version {previous.Number} is active{(previous.IsBuiltIn ? " (the built-in default)" : "")}");
            return;
        }

        console.WriteLine($"Changes against registry version {previous.Number}{(previous.IsBuiltIn ? " (the built-in default)" : "")}:");
        foreach (var change in result.Diff.Changes)
            PrintChange(console, change, previous.Definition, result.Active.Definition);
        console.MarkupLine($"[green]Applied registry version {result.Active.Number}[/] ({Features(result.Active.FeatureCount)})");
    }

    private static void PrintChange(IAnsiConsole console, RegistryChange change, RegistryDefinition before, RegistryDefinition after)
    {
        var (sign, colour) = change.Kind switch
        {
            ChangeKind.Added => ("+", "green"),
            ChangeKind.Removed => ("-", "red"),
            _ => ("~", "yellow"),
        };
        var definition = change.Kind == ChangeKind.Removed ? before : after;
        var subject = change.Item switch
        {
            RegistryItemKind.Setting => $"setting {change.Name}",
            RegistryItemKind.Entity when change.Kind == ChangeKind.Added =>
                $"entity {change.Name} (join key {FieldNames.Name(definition.Entities.Single(e => e.Name == change.Name).JoinKey)})",
            RegistryItemKind.Entity => $"entity {change.Name}",
            RegistryItemKind.View => $"view {change.Name} ({change.Entity})",
            _ when change.Kind == ChangeKind.Added =>
                $"feature {change.Name} ({change.Entity}): {FeatureText.Summary(definition.AllFeatures.Single(f => f.Name == change.Name))}",
            _ => $"feature {change.Name} ({change.Entity})",
        };

        if (change.Item == RegistryItemKind.Setting && change.Properties is [var setting])
        {
            console.MarkupLine($"  [{colour}]{sign}[/] {Markup.Escape($"{subject}: {Value(setting.Before)} -> {Value(setting.After)}")}");
            return;
        }

        console.MarkupLine($"  [{colour}]{sign}[/] {Markup.Escape(subject)}");
        foreach (var property in change.Properties)
            console.WriteLine($"      {property.Property}: {Value(property.Before)} -> {Value(property.After)}");
    }

    private static string Value(string value) => value.Length == 0 ? "(none)" : value;

    private static string Features(int count) => count == 1 ? "1 feature" : $"{count} features";
}
