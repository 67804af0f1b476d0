using Amlfs.Decisions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Decisions;

/// <summary>
/// Publishes the decisions of an <see cref="IDecisionSource"/> to this process's <see cref="DecisionFeed"/>, each once:
/// one the feed still holds (a worker that replayed after a crash published it again) is dropped.
/// </summary>
internal sealed class DecisionSourceService(IDecisionSource source, DecisionFeed feed, ILogger logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => source.RunAsync(Publish, logger, stoppingToken);

    private void Publish(IReadOnlyList<Decision> batch)
    {
        var fresh = new List<Decision>(batch.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var decision in batch)
        {
            if (feed.Find(decision.TransactionId) is null && seen.Add(decision.TransactionId))
                fresh.Add(decision);
        }

        feed.Publish(fresh);
    }
}
