using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// What a command reads from and writes to: standard output (raw, and as a Spectre console for tables and colour),
/// standard error, the working directory that relative paths resolve against, and the clock. Tests build one over
/// string writers and a temporary directory and run commands in-process.
/// </summary>
internal sealed class CliEnvironment
{
    // Wide enough that no table of the registry wraps when the output goes to a file or a pipe.
    private const int RedirectedWidth = 320;

    public CliEnvironment(
        TextWriter output, TextWriter error, string workingDirectory, TimeProvider clock, bool terminal = false,
        IReadOnlyDictionary<string, string>? variables = null)
    {
        Variables = variables ?? new Dictionary<string, string>();
        Output = output;
        Error = error;
        WorkingDirectory = workingDirectory;
        Clock = clock;
        IsTerminal = terminal;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            Console.Profile.Width = RedirectedWidth;
    }

    /// <summary>Standard output, for machine-readable output such as JSON.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard output as a Spectre console: tables and colour when it is a terminal, plain text otherwise.</summary>
    public IAnsiConsole Console { get; }

    public TextWriter Error { get; }

    /// <summary>
    /// Whether standard output is a terminal. When it is not (a file, a pipe, a test), output is plain and stable: no
    /// colour or escape codes, ASCII table borders and no wrapping.
    /// </summary>
    public bool IsTerminal { get; }

    public string WorkingDirectory { get; }

    public TimeProvider Clock { get; }

    /// <summary>Environment variables (the process's own, or a test's).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>The process's own console, working directory and the system clock.</summary>
    public static CliEnvironment ForProcess() => new(
        System.Console.Out, System.Console.Error, Environment.CurrentDirectory, TimeProvider.System,
        terminal: !System.Console.IsOutputRedirected,
        variables: Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal));

    /// <summary>A path given on the command line, resolved against the working directory.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);
}
