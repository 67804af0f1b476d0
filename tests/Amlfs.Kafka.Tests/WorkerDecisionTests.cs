using System.Collections.Concurrent;
using System.Text;
using Amlfs.Checkpoints;
using Amlfs.Decisions;
using Amlfs.Engine;
using Amlfs.Kafka.Development;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Tests;

/// <summary>
/// A worker given a decider: every transaction its source partitions accept is decided once its customer's state is in
/// the online store, and the decision is published to the decisions topic; no checkpoint passes an undecided one.
/// </summary>
public sealed class WorkerDecisionTests : IDisposable
{
    private readonly KafkaMockCluster _cluster = new();
    private readonly TempDirectory _checkpoints = new();
    private readonly InMemoryOnlineStore _store = new();

    public void Dispose()
    {
        _cluster.Dispose();
        _checkpoints.Dispose();
    }

    [Fact]
    public void Each_accepted_transaction_is_decided_once_from_its_customers_written_state_and_published_by_customer()
    {
        // The seed's definitions: a customer's features are all kept on the source topic (no inflows from the other one),
        // so its stored state is complete up to each transaction when it is decided.
        var definition = DefinitionTexts.Seed();
        var topic = WorkerScenario.Topic();
        var traffic = WorkerScenario.Traffic(topic);
        var sent = Enumerable.Range(0, 200).Select(_ => traffic.Next().Transaction).ToList();
        var late = Tx.At(sent[0].TimestampMs - 3_600_000, customer: sent[^1].CustomerId, id: "late-1");
        WorkerScenario.Publish(_cluster, topic, [.. sent, .. sent.Take(10), late]);
        var decider = new StoreCheckingDecider(_store, WorkerScenario.Reference(sent, definition));

        using (var worker = StartWorker(topic, decider, definition))
        {
            worker.WaitFor(t => t.Decided == sent.Count && t.Consumed == sent.Count + 11 + WorkerScenario.Rekeyed(sent, definition));
            var totals = worker.Stop();
            Assert.Equal(sent.Count, totals.Decided);
            Assert.Equal(sent.Count, totals.DecidedByLevel[(int)RiskLevel.Medium]);
        }

        Assert.True(decider.Problems.IsEmpty, string.Join(Environment.NewLine, decider.Problems.Take(5)));
        var messages = _cluster.ReadAll(WorkerTopics.DecisionsOf(topic));
        Assert.Equal(sent.Count, messages.Count);
        var byId = sent.ToDictionary(t => t.TransactionId);
        foreach (var message in messages)
        {
            var decision = DecisionMessage.Parse(message.Message.Value);
            var transaction = byId[decision.TransactionId];
            Assert.Equal(transaction.CustomerId, message.Message.Key);
            Assert.Equal((transaction.CustomerId, transaction.MerchantId, transaction.AmountCents, transaction.TimestampMs),
                (decision.CustomerId, decision.MerchantId, decision.AmountCents, decision.EventTimeMs));
            Assert.Matches($"^{topic}/[0-9]+/{decision.LogSequence - 1}$", Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(KafkaWorker.SourceHeader)));
        }

        Assert.Equal(byId.Keys.Order(), messages.Select(m => DecisionMessage.Parse(m.Message.Value).TransactionId).Order());
    }

    [Fact]
    public void Transactions_wait_while_they_cannot_be_decided_and_no_checkpoint_passes_them()
    {
        var topic = WorkerScenario.Topic();
        var traffic = WorkerScenario.Traffic(topic);
        var sent = Enumerable.Range(0, 120).Select(_ => traffic.Next().Transaction).ToList();
        WorkerScenario.Publish(_cluster, topic, sent);
        var definition = DefinitionTexts.Seed();
        var decider = new StoreCheckingDecider(_store, WorkerScenario.Reference(sent, definition)) { Unavailable = true };

        using (var worker = StartWorker(topic, decider, definition))
        {
            worker.WaitFor(t => t.Consumed == sent.Count + WorkerScenario.Rekeyed(sent, definition) && t.DecisionsWaited > 0);
            Assert.Equal(0, worker.Stop().Decided);
            Assert.Contains("wait for their decisions", worker.Log.Text, StringComparison.Ordinal);
        }

        Assert.Empty(_cluster.ReadAll(WorkerTopics.DecisionsOf(topic)));
        decider.Unavailable = false;
        using (var worker = StartWorker(topic, decider, definition))
        {
            // No source partition was checkpointed past an undecided transaction: the next worker replays each from the
            // start and decides every transaction.
            worker.WaitFor(t => t.Decided == sent.Count);
            Assert.True(worker.Stop().Checkpoints > 0);
            for (var partition = 0; partition < MockKafkaCluster.PartitionsPerTopic; partition++)
                Assert.Contains($"{topic}[{partition}]@start", worker.Log.Text, StringComparison.Ordinal);
        }

        Assert.True(decider.Problems.IsEmpty, string.Join(Environment.NewLine, decider.Problems.Take(5)));
        Assert.Equal(sent.Select(t => t.TransactionId).Order(),
            _cluster.ReadAll(WorkerTopics.DecisionsOf(topic)).Select(m => DecisionMessage.Parse(m.Message.Value).TransactionId).Order());
    }

    private WorkerRun StartWorker(string topic, ITransactionDecider decider, RegistryDefinition definition)
    {
        var log = new LineLogger();
        return new WorkerRun(new KafkaWorker(WorkerScenario.FrequentCheckpoints(_cluster, topic), definition, _store, new DirectoryCheckpointStore(_checkpoints.Path), log, decider: decider), log);
    }

    /// <summary>
    /// Decides every transaction MEDIUM, after checking that the store holds its customer's state complete up to and
    /// including it: its features as of just after it, read from the stored bytes, equal those of one engine that took
    /// every transaction. Answers null (the features cannot be read) while <see cref="Unavailable"/>.
    /// </summary>
    private sealed class StoreCheckingDecider(IOnlineStore store, FeatureEngine reference) : ITransactionDecider
    {
        private readonly EntityPlan _customer = reference.Plan.Entities.Single(e => e.Name == "customer");

        public volatile bool Unavailable;

        public ConcurrentQueue<string> Problems { get; } = new();

        public ValueTask<IReadOnlyList<Decision>?> DecideAsync(IReadOnlyList<Transaction> transactions, IReadOnlyList<long> sequences, CancellationToken cancellationToken)
        {
            if (Unavailable)
                return ValueTask.FromResult<IReadOnlyList<Decision>?>(null);
            var decisions = new Decision[transactions.Count];
            for (var i = 0; i < transactions.Count; i++)
            {
                var t = transactions[i];
                var bytes = store.ReadAsync(OnlineStoreKey.For(reference.StateFormat, "customer", t.CustomerId), cancellationToken).GetAwaiter().GetResult();
                var stored = new double[_customer.Features.Count];
                var expected = new double[_customer.Features.Count];
                if (bytes is null)
                {
                    Problems.Enqueue($"{t.TransactionId}: the state of {t.CustomerId} is not in the store yet");
                }
                else
                {
                    StoredStates.Evaluate(reference.StateFormat, _customer, bytes, null, t.TimestampMs + 1, stored, StoredStates.From(store, reference.StateFormat, _customer));
                    reference.Read(_customer, t.CustomerId, t.TimestampMs + 1, expected);
                    var differing = Enumerable.Range(0, expected.Length).Where(k => BitConverter.DoubleToInt64Bits(expected[k]) != BitConverter.DoubleToInt64Bits(stored[k]))
                        .Select(k => $"{_customer.Features[k].Name} {stored[k]} instead of {expected[k]}").ToArray();
                    if (differing.Length > 0)
                        Problems.Enqueue($"{t.TransactionId}: the stored state of {t.CustomerId} does not hold everything up to it: {string.Join(", ", differing)}");
                }

                decisions[i] = new Decision(t.TransactionId, t.CustomerId, t.MerchantId, t.DestinationType, t.AmountCents, t.TimestampMs, sequences[i], 0, 0.4,
                    RiskLevel.Medium, "test-1");
            }

            return ValueTask.FromResult<IReadOnlyList<Decision>?>(decisions);
        }
    }
}
