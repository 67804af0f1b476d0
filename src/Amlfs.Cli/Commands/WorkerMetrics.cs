using Amlfs.Kafka.Workers;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Server.Contracts;
using Amlfs.Server.Observability;
using Prometheus;

namespace Amlfs.Cli.Commands;

/// <summary>
/// What <c>amlfs worker --metrics-port</c> serves at <c>/metrics</c>: the process figures and the worker's counts, read
/// from <see cref="KafkaWorker.Totals"/> at each scrape (the worker's thread records nothing for it). Ingest and online
/// store series share the server's names where they mean the same (<c>amlfs_ingest_*</c>, <c>amlfs_engine_lag_seconds</c>,
/// <c>amlfs_online_store_errors_total</c>), so one alert covers an embedded server and the workers alike.
/// </summary>
internal static class WorkerMetrics
{
    public static CollectorRegistry Create(KafkaWorker worker, TimeProvider clock)
    {
        var registry = Metrics.NewCustomRegistry();
        ProcessMetrics.Register(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var messages = factory.CreateCounter("amlfs_worker_messages_total", "Messages read from each topic the worker consumes, by topic and the key it is partitioned by.", ["topic", "key"]);
        var consumerLag = factory.CreateGauge("amlfs_kafka_consumer_lag_messages",
            "Messages the partitions this worker owns are behind the newest the brokers reported, by topic and key (absent until the brokers have reported).", ["topic", "key"]);
        var accepted = factory.CreateCounter("amlfs_ingest_accepted_total", "Transactions accepted (once per topic that hosts an end of them).");
        var duplicates = factory.CreateCounter("amlfs_ingest_duplicates_total", "Transactions reported as duplicates (counted once).");
        var rejected = factory.CreateCounter("amlfs_ingest_rejected_total", "Transactions rejected, by reason; each one goes to the dead-letter topic.", ["reason"]);
        var (late, future, invalid) = (rejected.WithLabels("late"), rejected.WithLabels("future_timestamp"), rejected.WithLabels("invalid"));
        var rekeyed = factory.CreateCounter("amlfs_worker_rekeyed_total", "Messages published to the re-keyed topics.");
        var lag = factory.CreateGauge("amlfs_engine_lag_seconds", "Wall clock minus the newest accepted event time (0 before any event).");
        var written = factory.CreateCounter("amlfs_online_store_writes_total", "Entity states written to the online store.");
        var stale = factory.CreateCounter("amlfs_online_store_stale_writes_total", "Entity states the online store refused because it held newer ones.");
        var storeErrors = factory.CreateCounter("amlfs_online_store_errors_total", "Writes to the online store that failed (the states are written again once it answers).");
        var checkpoints = factory.CreateCounter("amlfs_worker_checkpoints_total", "Partition checkpoints saved.");
        var checkpointFailures = factory.CreateCounter("amlfs_worker_checkpoint_failures_total", "Partition checkpoints that could not be saved; the previous one stands.");
        var partitions = factory.CreateGauge("amlfs_worker_partitions", "Partitions this worker owns.");
        var decided = factory.CreateCounter("amlfs_worker_decisions_total", "Decisions published to the decisions topic, by risk level.", ["level"]);
        var levels = Enum.GetValues<RiskLevel>().Select(l => decided.WithLabels(l.WireName())).ToArray();
        var decisionsWaited = factory.CreateCounter("amlfs_worker_decisions_waited_total", "Times deciding waited because the features could not be read (the online store unavailable).");
        var kafkaErrors = factory.CreateCounter("amlfs_kafka_errors_total", "Errors the Kafka clients reported (an unreachable broker, a missing topic...).");
        var topics = worker.Topics.Roles.Select(r => (Messages: messages.WithLabels(r.Topic, FieldNames.Name(r.Key)), Lag: consumerLag.WithLabels(r.Topic, FieldNames.Name(r.Key)))).ToArray();
        foreach (var topic in topics)
            topic.Lag.Unpublish();
        registry.AddBeforeCollectCallback(() =>
        {
            var totals = worker.Totals;
            for (var i = 0; i < topics.Length && i < totals.Topics.Count; i++)
            {
                topics[i].Messages.IncTo(totals.Topics[i].Consumed);
                if (totals.Topics[i].Lag is { } behind)
                    topics[i].Lag.Set(behind);
            }

            accepted.IncTo(totals.Accepted);
            duplicates.IncTo(totals.Duplicates);
            late.IncTo(totals.Late);
            future.IncTo(totals.FutureTimestamps);
            invalid.IncTo(totals.Malformed);
            rekeyed.IncTo(totals.Rekeyed);
            for (var level = 0; level < levels.Length && level < totals.DecidedByLevel.Count; level++)
                levels[level].IncTo(totals.DecidedByLevel[level]);
            decisionsWaited.IncTo(totals.DecisionsWaited);
            lag.Set(totals.NewestEvent is { } newest ? Math.Max(0, (clock.GetUtcNow() - newest).TotalSeconds) : 0);
            written.IncTo(totals.StatesWritten);
            stale.IncTo(totals.StaleStates);
            storeErrors.IncTo(totals.StoreErrors);
            checkpoints.IncTo(totals.Checkpoints);
            checkpointFailures.IncTo(totals.CheckpointFailures);
            partitions.Set(totals.Partitions);
            kafkaErrors.IncTo(totals.KafkaErrors);
        });
        return registry;
    }
}
