using System.CommandLine;

namespace Amlfs.Cli.Commands;

/// <summary><c>amlfs features list</c>: the active features as a table.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var command = new Command("features", "Inspect the active feature definitions");
        var list = new Command("list", "Print the active features: name, entity, aggregation, window, description");
        list.SetAction(_ => 0);
        command.Subcommands.Add(list);
        return command;
    }
}
