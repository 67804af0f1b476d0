using System.Globalization;
using Amlfs.Cli.Distributed;
using Amlfs.Kafka.Decisions;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Security;
using Amlfs.Server.Hosting;
using Amlfs.Storage;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs up --distributed</c>: the distributed topology on one machine with development stand-ins (a
/// <see cref="DistributedTrial"/>), and the API as a replica of its Redis, as <c>serve --online-store</c> runs it.
/// </summary>
internal static class DistributedUp
{
    public static async Task<int> RunAsync(CliEnvironment environment, ServerSettings settings, int workers, CancellationToken cancellationToken)
    {
        var output = environment.Output;
        if (workers is < 1 or > 16)
        {
            await environment.Error.WriteLineAsync($"error: --workers must be between 1 and 16, got {workers}");
            return 1;
        }

        if (settings.LogFeatures)
        {
            await environment.Error.WriteLineAsync("error: --log-features is not supported with --distributed: the API is a replica, which keeps no files");
            return 1;
        }

        RegistryDefinition definition;
        try
        {
            definition = new RegistryStore(settings.DataDirectory).Active.Definition;
        }
        catch (Exception e) when (e is DefinitionException or InvalidDataException or IOException)
        {
            await environment.Error.WriteLineAsync($"error: the definitions in {settings.DataDirectory} cannot be read: {e.Message}");
            return 1;
        }

        using var loggers = WorkerCommand.ConsoleLoggers(settings.LogLevel);
        await output.WriteLineAsync("Starting the distributed mode on this machine with development stand-ins (in memory, not for production)...");
        DistributedTrial trial;
        try
        {
            trial = await DistributedTrial.StartAsync(definition, workers, new WorkerDeciderSettings(settings.DataDirectory, settings.RiskModelFile, settings.Environment), loggers,
                environment.Clock, cancellationToken, PseudonymKey.Resolve(settings.DataDirectory, settings.PseudonymKey));
        }
        catch (Exception e) when (e is ServerSettingsException or RulesModelConfigException or InvalidDataException or IOException or ArgumentException)
        {
            await environment.Error.WriteLineAsync($"error: the workers cannot decide: {e.Message}");
            return 1;
        }

        await using (trial)
        {
            if (settings.ProducerRate is { } rate)
                trial.StartProducer(rate, environment.Clock);
            await output.WriteLineAsync($"  Kafka     librdkafka mock cluster at {trial.BootstrapServers}: in memory, 4 partitions a topic; other processes may join it (amlfs worker --kafka {trial.BootstrapServers})");
            await output.WriteLineAsync($"  Topics    {trial.Topics}; dead letters to {trial.Topics!.DeadLetter}");
            await output.WriteLineAsync($"  Redis     Garnet in this process at {trial.Redis}: in memory");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  Workers   {workers} in consumer group {DistributedTrial.Group}, checkpoints in that Redis; each transaction decided, to {trial.Topics.Decisions}"));
            await output.WriteLineAsync(settings.ProducerRate is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"  Producer  {r} synthetic transactions per second to Kafka")
                : "  Producer  off");
            var decisions = new KafkaDecisionSource(new DecisionTopicReaderOptions { BootstrapServers = trial.BootstrapServers, Topic = trial.Topics.Decisions });
            var code = await ServeCommand.RunReplicaAsync(environment, settings with { ProducerRate = null, DecisionSource = decisions },
                trial.Redis with { ReconnectInBackground = true }, cancellationToken, firstKey: true);
            await output.WriteLineAsync("Stopping the producer and the workers (each checkpoints and leaves the group)...");
            foreach (var failure in trial.Failures)
                await environment.Error.WriteLineAsync($"error: a worker stopped on its own: {failure.Message}");
            return trial.Failures.Count > 0 ? 1 : code;
        }
    }
}
