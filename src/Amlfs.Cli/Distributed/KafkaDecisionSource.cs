using Amlfs.Decisions;
using Amlfs.Kafka.Decisions;
using Amlfs.Server.Decisions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Cli.Distributed;

/// <summary>The decisions an API replica shows: the workers' decisions topic, through a <see cref="DecisionTopicReader"/>.</summary>
internal sealed class KafkaDecisionSource(DecisionTopicReaderOptions options) : IDecisionSource
{
    public string Name => $"kafka://{options.BootstrapServers}/{options.Topic}";

    public async Task RunAsync(Action<IReadOnlyList<Decision>> receive, ILogger logger, CancellationToken cancellationToken)
    {
        using var reader = new DecisionTopicReader(options, logger);
        await reader.Start(receive, cancellationToken).ConfigureAwait(false);
    }
}
