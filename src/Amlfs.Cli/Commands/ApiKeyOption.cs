using System.CommandLine;
using Amlfs.Security;

namespace Amlfs.Cli.Commands;

/// <summary>
/// The <c>--api-key</c> option of every command that talks to an amlfs server, which checks keys unless it runs with
/// <c>--auth off</c>. The environment variable is the better place for a key: arguments show in <c>ps</c>.
/// </summary>
internal static class ApiKeyOption
{
    public const string EnvironmentVariable = "AMLFS_API_KEY";

    public static Option<string?> Create(string roles) => new("--api-key")
    {
        Description = $"API key to send ({roles} role; amlfs keys create) [env: {EnvironmentVariable}]",
        HelpName = "KEY",
    };

    /// <summary>The key given by the option or else the environment, or null; <paramref name="problem"/> says what is wrong with it.</summary>
    public static string? Read(string? given, CliEnvironment environment, out string? problem)
    {
        var key = given ?? (environment.Variables.GetValueOrDefault(EnvironmentVariable) is { Length: > 0 } variable ? variable : null);
        problem = key is not null && ApiKeyStore.IdOf(key.Trim()) is null
            ? $"--api-key (or {EnvironmentVariable}) is not an amlfs key: it should look like {ApiKeyStore.Prefix}<id>_<secret>, as amlfs keys create prints it"
            : null;
        return key?.Trim();
    }
}
