using System.Diagnostics;
using Amlfs.Checkpoints;
using Amlfs.Engine;
using Amlfs.Kafka;
using Amlfs.Kafka.Development;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Registry;
using Amlfs.Synthetic;
using Microsoft.Extensions.Logging.Abstractions;

namespace Amlfs.Cli.Bench;

/// <summary>
/// The Kafka worker's throughput: a fresh topic on librdkafka's mock cluster gets the messages first (not measured),
/// then one <see cref="KafkaWorker"/> on its own thread consumes them, writes the changed entity states to the online
/// store, re-keys each accepted one onto the topics of its other ends (the merchant's, and the IP's and the device's
/// where the definitions join on them and the transaction has them) and consumes it again from there. The clock runs from the
/// first consumed message to the last, so the figure is the worker's whole loop: parse, engine, online store writes,
/// re-keyed produces and checkpoints, with the mock brokers (and an embedded store) on the same cores. Given a decider,
/// the worker also decides every source message and publishes the decisions, and the clock stops at the last decision.
/// <para>
/// The worker reads every topic on one thread, so the source and re-keyed figures are not separate runs: the source
/// figure is the time until the last source message was applied, re-keyed messages applied meanwhile included in that
/// time. In practice those are few, since the client has prefetched most source messages before the first re-keyed
/// one exists. Totals are sampled every 2 ms, which bounds the error of each time taken.
/// </para>
/// </summary>
internal static class WorkerBench
{
    /// <summary>
    /// A mock partition keeps about 5 MB and a message is about 300 bytes: 48,000 messages over 4 partitions stay under
    /// 4 MB each, on the source topic and on each re-keyed one, so none is dropped before the worker reads it.
    /// </summary>
    public const int MaxMessages = 48_000;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Measures one worker over <paramref name="messages"/> messages. When <paramref name="warmup"/> is positive,
    /// another worker first consumes that many on other topics of the same cluster, into the same stores, so that the
    /// measured one runs code the JIT has already tiered up: a few seconds of a cold process are otherwise mostly
    /// unoptimized code and compilation on the other core. Returns the warm-up's own figures too.
    /// </summary>
    public static (WorkerBenchResult Measured, WorkerBenchResult? Warmup) Run(
        RegistryDefinition definition, int messages, int warmup, IOnlineStore store, IPartitionCheckpointStore checkpoints,
        TimeSpan checkpointInterval, ITransactionDecider? decider, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(messages, MaxMessages);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(warmup, MaxMessages);
        using var cluster = new MockKafkaCluster();
        var run = Guid.NewGuid().ToString("N")[..8];
        WorkerBenchResult? warm = null;
        if (warmup > 0)
        {
            warm = Measure(cluster, "bench-warmup-" + run, definition, warmup, store, checkpoints, checkpointInterval, decider, _ => { }, cancellationToken);
            progress($"warm-up: another worker consumed {warm.Messages:N0} messages in {warm.Seconds:N2} s, {warm.MessagesPerSecond:N0} messages/s (not measured)");
        }

        return (Measure(cluster, "bench-worker-" + run, definition, messages, store, checkpoints, checkpointInterval, decider, progress, cancellationToken), warm);
    }

    private static WorkerBenchResult Measure(
        MockKafkaCluster cluster, string topic, RegistryDefinition definition, int messages, IOnlineStore store,
        IPartitionCheckpointStore checkpoints, TimeSpan checkpointInterval, ITransactionDecider? decider, Action<string> progress, CancellationToken cancellationToken)
    {
        var topics = WorkerTopics.For(FeaturePlan.Compile(definition), topic);
        var (publishSeconds, rekeyed) = Publish(cluster.BootstrapServers, topic, messages, topics, cancellationToken);
        progress($"published {messages:N0} messages to {topic} in {publishSeconds:N2} s (not measured)");

        var options = new KafkaWorkerOptions
        {
            BootstrapServers = cluster.BootstrapServers,
            Topic = topic,
            GroupId = "bench-" + topic,
            CheckpointInterval = checkpointInterval,
        };
        // The worker's clock is the system's whatever the command's: transactions carry the wall-clock time they were
        // generated at, and checkpoints are due by real time.
        using var worker = new KafkaWorker(options, definition, store, checkpoints, NullLogger.Instance, TimeProvider.System, decider);
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.GetTimestamp();
        // The worker asks for the re-keyed and dead-letter topics before it subscribes, so its first assignment holds
        // all their partitions too.
        var running = worker.Start(stop.Token);
        Func<Exception?> failure = () => running.Exception?.GetBaseException();
        try
        {
            var partitionsOwned = worker.Topics.Roles.Count * MockKafkaCluster.PartitionsPerTopic;
            WaitFor(() => worker.Totals.Partitions == partitionsOwned, worker, failure, cancellationToken);
            var joinSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            WaitFor(() => worker.Totals.Consumed > 0, worker, failure, cancellationToken);
            var first = Stopwatch.GetTimestamp();
            var cpuAtFirst = Process.GetCurrentProcess().TotalProcessorTime;
            progress($"worker owns {worker.Totals.Partitions} partitions after {joinSeconds:N2} s; measuring from its first message");

            // Sampled every couple of milliseconds: the time the last source message was applied (once every re-keyed
            // message is out) and the re-keyed messages applied by then.
            double? sourceSeconds = null;
            long rekeyedBySourceEnd = 0;
            var target = messages + rekeyed;
            var lastProgress = Stopwatch.GetTimestamp();
            long lastConsumed = 0;
            while (true)
            {
                var totals = worker.Totals;
                var now = Stopwatch.GetElapsedTime(first).TotalSeconds;
                if (sourceSeconds is null && totals.Rekeyed >= rekeyed)
                {
                    sourceSeconds = now;
                    rekeyedBySourceEnd = totals.Consumed - messages;
                }

                // A worker that decides has finished once the last source message's decision is out too.
                if (totals.Consumed >= target && (decider is null || totals.Decided >= messages))
                    break;
                ThrowIfFailed(failure);
                cancellationToken.ThrowIfCancellationRequested();
                if (totals.Consumed != lastConsumed)
                {
                    lastConsumed = totals.Consumed;
                    lastProgress = Stopwatch.GetTimestamp();
                }
                else if (Stopwatch.GetElapsedTime(lastProgress) > Patience)
                {
                    throw new TimeoutException($"the worker consumed nothing for {Patience.TotalSeconds:N0} s: {totals}");
                }

                Thread.Sleep(PollInterval);
            }

            var seconds = Stopwatch.GetElapsedTime(first).TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtFirst).TotalSeconds;
            progress($"all {target:N0} messages consumed after {seconds:N2} s; stopping the worker (final checkpoints)");
            var stopping = Stopwatch.GetTimestamp();
            stop.Cancel();
            if (!Stopped(running))
                throw new TimeoutException($"the worker did not stop within {Patience.TotalSeconds:N0} s");
            var stopSeconds = Stopwatch.GetElapsedTime(stopping).TotalSeconds;
            ThrowIfFailed(failure);
            return new WorkerBenchResult(messages, target, publishSeconds, joinSeconds, seconds, sourceSeconds ?? seconds, rekeyedBySourceEnd,
                partitionsOwned, stopSeconds, cpuSeconds, worker.Totals);
        }
        finally
        {
            if (!running.IsCompleted)
            {
                stop.Cancel();
                Stopped(running);
            }
        }
    }

    /// <summary>
    /// Publishes the messages; returns the time it took and how many re-keyed messages the worker will produce from them
    /// (every message is accepted: one per other topic that hosts an end of it).
    /// </summary>
    private static (double Seconds, long Rekeyed) Publish(string bootstrapServers, string topic, int messages, WorkerTopics topics,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // 5,000 customers and 500 merchants: the worker keeps thousands of entities and writes many per batch.
        var traffic = new LiveTraffic(new SyntheticOptions { Customers = 5_000, Merchants = 500 }, TimeProvider.System);
        using var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = bootstrapServers, Topic = topic });
        long rekeyed = 0;
        for (var i = 0; i < messages; i++)
        {
            var transaction = traffic.Next().Transaction;
            rekeyed += topics.Roles.Count(r => r.Rekeys(transaction));
            publisher.Publish(transaction, cancellationToken);
        }

        var totals = publisher.Flush(cancellationToken);
        if (totals.Failed > 0)
            throw new InvalidOperationException($"{totals.Failed} of {messages} messages were not published: {totals.FirstError}");
        return (Stopwatch.GetElapsedTime(started).TotalSeconds, rekeyed);
    }

    private static void WaitFor(Func<bool> done, KafkaWorker worker, Func<Exception?> failure, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Patience.TotalSeconds * Stopwatch.Frequency);
        while (!done())
        {
            ThrowIfFailed(failure);
            cancellationToken.ThrowIfCancellationRequested();
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"the worker did not get there within {Patience.TotalSeconds:N0} s: {worker.Totals}");
            Thread.Sleep(PollInterval);
        }
    }

    /// <summary>Waits for the worker to stop, failed or not, for at most <see cref="Patience"/>; returns whether it did.</summary>
    private static bool Stopped(Task running) => running.ContinueWith(_ => { }, TaskScheduler.Default).Wait(Patience);

    private static void ThrowIfFailed(Func<Exception?> failure)
    {
        if (failure() is { } e)
            throw new WorkerFailedException("the worker failed: " + e.Message, e);
    }
}
