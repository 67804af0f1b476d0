using Amlfs.Decisions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Decisions;

/// <summary>
/// Decisions taken elsewhere that this process shows: an API replica follows the decisions the Kafka workers publish,
/// so that its dashboard (and what reads the <see cref="DecisionFeed"/>) sees every transaction decided. The embedded
/// server takes its own decisions and has none.
/// </summary>
public interface IDecisionSource
{
    /// <summary>How logs and <c>/health</c> name the source, e.g. <c>kafka://broker:9092/transactions.decisions</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Calls <paramref name="receive"/> with each batch of decisions, one call at a time, until
    /// <paramref name="cancellationToken"/> is cancelled; a decision may come more than once. Problems go to
    /// <paramref name="logger"/>.
    /// </summary>
    Task RunAsync(Action<IReadOnlyList<Decision>> receive, ILogger logger, CancellationToken cancellationToken);
}
