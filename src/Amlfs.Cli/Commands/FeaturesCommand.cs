using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amlfs.Registry;
using Amlfs.Storage;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary><c>amlfs features list</c>: the active features as a table, or as JSON.</summary>
internal static class FeaturesCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataDirectory = DataDirectoryOption.Create();
        var entity = new Option<string?>("--entity") { Description = "Only the features of this entity (customer, merchant, ...)" };
        var format = new Option<string>("--format") { Description = "table, or json for machines", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var list = new Command("list", "Print the active features: name, entity, aggregation, window, description");
        list.Options.Add(dataDirectory);
        list.Options.Add(entity);
        list.Options.Add(format);
        list.SetAction(parse => List(environment, parse.GetValue(dataDirectory)!, parse.GetValue(entity), parse.GetValue(format) == "json"));

        var command = new Command("features", "Inspect the active feature definitions");
        command.Subcommands.Add(list);
        return command;
    }

    /// <summary>Prints the active version's features; 1 when the entity is unknown or the registry cannot be read.</summary>
    public static int List(CliEnvironment environment, string dataDirectory, string? entity, bool json)
    {
        RegistryVersion active;
        try
        {
            active = new RegistryStore(environment.Resolve(dataDirectory)).Active;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DefinitionException)
        {
            environment.Error.WriteLine($"amlfs features list: {e.Message}");
            return 1;
        }

        var definition = active.Definition;
        if (entity is not null && definition.Entities.All(e => e.Name != entity))
        {
            environment.Error.WriteLine(
                $"amlfs features list: unknown entity '{entity}' (declared: {string.Join(", ", definition.Entities.Select(e => e.Name))})");
            return 1;
        }

        var features = definition.AllFeatures.Where(f => entity is null || f.Entity == entity).ToList();
        if (json)
            WriteJson(environment.Output, active, features);
        else
            WriteTable(environment, active, features, entity);
        return 0;
    }

    private static void WriteTable(CliEnvironment environment, RegistryVersion active, List<FeatureDefinition> features, string? entity)
    {
        var console = environment.Console;
        var origin = active.Info is { } info
            ? string.Create(CultureInfo.InvariantCulture, $"applied {info.AppliedAt:yyyy-MM-dd HH:mm:ss}Z from {info.SourceFile}")
            : "the built-in default";
        var what = $"{features.Count} {(entity is null ? "" : entity + " ")}{(features.Count == 1 ? "feature" : "features")}";
        console.MarkupLine($"[bold]Registry version {active.Number}[/] ({Markup.Escape(origin)}): {Markup.Escape(what)}");

        var table = new Table { Border = environment.IsTerminal ? TableBorder.Rounded : TableBorder.Ascii }
            .AddColumns("name", "entity", "family", "aggregation", "window", "description");
        foreach (var f in features)
        {
            table.AddRow(
                new Text(f.Name), new Text(f.Entity), new Text(f.Family), new Text(FeatureText.Aggregation(f)),
                new Text(FeatureText.Window(f)), new Text(f.Description));
        }

        console.Write(table);
    }

    private static void WriteJson(TextWriter output, RegistryVersion active, List<FeatureDefinition> features)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", active.Number);
            if (active.Info is { } info)
            {
                json.WriteString("applied_at", info.AppliedAt);
                json.WriteString("source_file", info.SourceFile);
                json.WriteString("sha256", info.Sha256);
            }

            json.WriteStartArray("features");
            foreach (var f in features)
                WriteFeature(json, f);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteFeature(Utf8JsonWriter json, FeatureDefinition feature)
    {
        var f = FeatureDescription.Of(feature);
        json.WriteStartObject();
        json.WriteString("name", f.Name);
        json.WriteString("entity", f.Entity);
        json.WriteString("view", f.View);
        WriteOptional(json, "family", f.Family);
        json.WriteString("kind", f.Kind);
        WriteOptional(json, "aggregation", f.Aggregation);
        WriteOptional(json, "field", f.Field);
        WriteOptional(json, "window", f.Window);
        WriteOptional(json, "hop", f.Hop);
        WriteOptional(json, "filter", f.Filter);
        WriteOptional(json, "direction", f.Direction);
        if (f.ThresholdSd is { } thresholdSd)
            json.WriteNumber("threshold_sd", thresholdSd);
        foreach (var (key, bound) in new[] { ("max_hops", f.MaxHops), ("max_visits", f.MaxVisits), ("max_neighbours", f.MaxNeighbours) })
        {
            if (bound is { } value)
                json.WriteNumber(key, value);
        }
        WriteOptional(json, "expression", f.Expression);
        json.WriteString("description", f.Description);
        json.WriteString("owner", f.Owner);
        json.WriteStartArray("tags");
        foreach (var tag in f.Tags)
            json.WriteStringValue(tag);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
            json.WriteNull(name);
        else
            json.WriteString(name, value);
    }
}
