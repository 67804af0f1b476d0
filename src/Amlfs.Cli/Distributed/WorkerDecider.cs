using Amlfs.Decisions;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Server.Hosting;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Cli.Distributed;

/// <summary>
/// The decider of a Kafka worker: the scoring path of an API replica (the definitions and the rules model of the
/// data directory, the active learned model of its registry, followed as it changes, and the features of the entity
/// states in the online store), so that a decision on the decisions topic is the verdict the replica's
/// <c>/predict</c> gives the same transaction. The worker decides once it has written its batch's states, so the
/// features of the entities its source partition keeps (the customer) hold everything before each transaction; those
/// kept on re-keyed topics (the merchant, an account's inflows) are what their workers had written by then. A
/// transaction older than the query history the store keeps (a replay after a long stop) is decided as of the oldest
/// instant it holds, an hour inside the history, and its decision says so (<see cref="Decision.FeaturesAsOfMs"/>).
/// </summary>
internal sealed class WorkerDecider : ITransactionDecider, IDisposable
{
    private readonly AmlfsRuntime _runtime;
    private readonly ServerMetrics _metrics;
    private readonly ActiveRiskModel _models;
    private readonly TransactionScorer _scorer;
    private readonly TimeProvider _clock;

    /// <summary>
    /// Builds the scoring path of <paramref name="settings"/> over <paramref name="store"/>, named
    /// <paramref name="storeEndpoint"/> in messages. Throws as the server does at start when they cannot be read.
    /// </summary>
    public WorkerDecider(WorkerDeciderSettings settings, IOnlineStore store, string storeEndpoint, TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _clock = clock;
        _metrics = new ServerMetrics();
        _runtime = AmlfsRuntime.Start(new ServerSettings
        {
            DataDirectory = settings.DataDirectory,
            RiskModelFile = settings.RiskModelFile,
            Environment = settings.Variables,
            OnlineStore = store,
            OnlineStoreEndpoint = storeEndpoint,
        }, clock, _metrics, new ProducerStatus(), loggers);
        _models = new ActiveRiskModel(settings.DataDirectory, _runtime.Definitions.Layout?.Names ?? [], clock, loggers.CreateLogger("Amlfs.Worker.Models"));
        _scorer = new TransactionScorer(_runtime.Definitions, _runtime.Model, _models, _runtime.Features, _metrics, _runtime.FeatureQuality, null, clock);
    }

    /// <summary>The model version deciding now.</summary>
    public string ModelVersion => _scorer.ModelVersion;

    public async ValueTask<IReadOnlyList<Decision>?> DecideAsync(
        IReadOnlyList<Transaction> transactions, IReadOnlyList<long> sequences, CancellationToken cancellationToken)
    {
        var oldest = _clock.GetUtcNow().ToUnixTimeMilliseconds() - _runtime.EngineOptions.QueryHistoryMs + 3_600_000;
        try
        {
            return await _scorer.DecideWithinAsync(transactions, sequences, oldest, cancellationToken).ConfigureAwait(false);
        }
        catch (FeaturesUnavailableException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _models.Dispose();
        _runtime.Dispose();
        _metrics.Dispose();
    }
}
