using System.CommandLine;
using Amlfs.Storage;

namespace Amlfs.Cli.Commands;

/// <summary>The <c>--data-dir</c> option that every command reading or writing state takes.</summary>
internal static class DataDirectoryOption
{
    public static Option<string> Create() => new("--data-dir")
    {
        Description = "Data directory holding the registry and the stores",
        DefaultValueFactory = _ => RegistryStore.DefaultDataDirectory,
        HelpName = "DIR",
    };
}
