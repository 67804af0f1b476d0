using System.CommandLine;
using Amlfs.Cli.Commands;

namespace Amlfs.Cli;

/// <summary>The <c>amlfs</c> command line: its commands, run against a <see cref="CliEnvironment"/>.</summary>
internal static class AmlfsCli
{
    public static RootCommand Create(CliEnvironment environment)
    {
        var root = new RootCommand("amlfs: a real-time anti-money-laundering feature store");
        root.Subcommands.Add(ApplyCommand.Create(environment));
        root.Subcommands.Add(FeaturesCommand.Create(environment));
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ImportCommand.Create(environment));
        root.Subcommands.Add(BenchCommand.Create(environment));
        root.Subcommands.Add(SqlCommand.Create(environment));
        root.Subcommands.Add(ConsistencyCommand.Create(environment));
        root.Subcommands.Add(MaterializeCommand.Create(environment));
        root.Subcommands.Add(TrainingSetCommand.Create(environment));
        root.Subcommands.Add(TrainCommand.Create(environment));
        root.Subcommands.Add(LabelsCommand.Create(environment));
        root.Subcommands.Add(ModelsCommand.Create(environment));
        root.Subcommands.Add(KeysCommand.Create(environment));
        root.Subcommands.Add(AuditCommand.Create(environment));
        root.Subcommands.Add(RetentionCommand.Create(environment));
        root.Subcommands.Add(EvaluateCommand.Create(environment));
        root.Subcommands.Add(ServeCommand.Create(environment, up: true));
        root.Subcommands.Add(ServeCommand.Create(environment, up: false));
        root.Subcommands.Add(ProduceCommand.Create(environment));
        root.Subcommands.Add(LoadTestCommand.Create(environment));
        root.Subcommands.Add(WorkerCommand.Create(environment));
        return root;
    }

    /// <summary>
    /// Parses and runs a command line; returns the process exit code. <paramref name="stop"/> cancels the command as a
    /// SIGINT or SIGTERM does (<see cref="ProcessStopSignal"/>).
    /// </summary>
    public static int Run(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // Signals are the process's to handle (ProcessStopSignal, before anything runs), not the library's: it would
        // register only once the command started, and could end the process before a clean stop had finished.
        var configuration = new InvocationConfiguration
        {
            Output = environment.Output,
            Error = environment.Error,
            ProcessTerminationTimeout = null,
        };
        return Create(environment).Parse(args).InvokeAsync(configuration, stop).GetAwaiter().GetResult();
    }
}
