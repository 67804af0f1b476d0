using System.CommandLine;

namespace Amlfs.Cli.Commands;

/// <summary>The <c>--url</c> option of every command that talks to an amlfs server.</summary>
internal static class ServerUrlOption
{
    public const string DefaultUrl = "http://127.0.0.1:8000";
    public const string EnvironmentVariable = "AMLFS_URL";

    public static Option<string> Create() => new("--url")
    {
        Description = $"Base URL of the amlfs server [env: {EnvironmentVariable}]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } url ? url : DefaultUrl,
        HelpName = "URL",
    };

    /// <summary>The URL as an absolute http or https address, or the problem with it.</summary>
    public static Uri? Parse(string text, out string? problem)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(url.Host))
        {
            problem = null;
            return url;
        }

        problem = $"--url must be an absolute http:// or https:// address such as {DefaultUrl}, got '{text}'";
        return null;
    }
}
