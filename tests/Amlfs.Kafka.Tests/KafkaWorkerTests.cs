using System.Text;
using System.Text.Json.Nodes;
using Amlfs.Checkpoints;
using Amlfs.Engine;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Privacy;
using Amlfs.Testing;
using Amlfs.Transactions;
using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Kafka.Tests;

public sealed class KafkaWorkerTests : IDisposable
{
    private readonly KafkaMockCluster _cluster = new();
    private readonly TempDirectory _checkpointDirectory = new();
    private readonly InMemoryOnlineStore _store = new();

    public void Dispose()
    {
        _cluster.Dispose();
        _checkpointDirectory.Dispose();
    }

    [Fact]
    public void Worker_serves_every_customer_and_merchant_as_the_reference_engine_and_dead_letters_rejects()
    {
        var topic = WorkerScenario.Topic();
        var traffic = WorkerScenario.Traffic(topic);
        var sent = Enumerable.Range(0, 240).Select(_ => traffic.Next().Transaction).ToList();
        var repeated = sent.Take(10).ToList();
        var late = Tx.At(sent[0].TimestampMs - 3_600_000, customer: sent[^1].CustomerId, merchant: sent[^1].MerchantId, id: "late-1");
        Publish(topic, [.. sent, .. repeated, late]);
        PublishRaw(topic, "CUST_X", "{\"transaction_id\": \"bad-1\", \"amount\": -5}");

        var reference = Reference([.. sent, .. repeated, late]);
        using (var worker = StartWorker(topic))
        {
            // Every source message once, then every accepted one again through each re-keyed topic that hosts an end of it.
            var rekeyed = WorkerScenario.Rekeyed(sent);
            worker.WaitFor(t => t.Consumed == sent.Count + repeated.Count + 2 + rekeyed);
            var totals = worker.Stop();
            Assert.Equal(sent.Count + rekeyed, totals.Accepted);
            Assert.Equal(repeated.Count, totals.Duplicates);
            Assert.Equal(1, totals.Late);
            Assert.Equal(1, totals.Malformed);
            Assert.Equal(rekeyed, totals.Rekeyed);
        }

        AssertStoreEquals(reference, sent);
        var deadLetters = _cluster.ReadAll($"{topic}.dead-letter");
        Assert.Equal(2, deadLetters.Count);
        var byReason = deadLetters.ToDictionary(m => Header(m, KafkaWorker.ReasonHeader));
        Assert.Contains("late-1", Encoding.UTF8.GetString(byReason["late"].Message.Value), StringComparison.Ordinal);
        Assert.Contains("before the watermark", Header(byReason["late"], KafkaWorker.DetailHeader), StringComparison.Ordinal);
        Assert.Contains("amount", Header(byReason["invalid"], KafkaWorker.DetailHeader), StringComparison.Ordinal);
        Assert.StartsWith($"{topic}/", Header(byReason["invalid"], KafkaWorker.SourceHeader), StringComparison.Ordinal);
    }

    [Fact]
    public void A_future_message_is_dead_lettered_by_the_engine_with_the_clock_it_was_judged_by()
    {
        var topic = WorkerScenario.Topic();
        var now = Tx.Utc(2026, 3, 6, 12);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(now));
        var onTime = Tx.At(now - 1_000, id: "on-time");
        Publish(topic, [onTime, Tx.At(now + 3_600_000, id: "future-1")]);
        using (var worker = StartWorker(topic, clock: clock))
        {
            var rekeyed = WorkerScenario.Rekeyed([onTime]);
            worker.WaitFor(t => t.Consumed == 2 + rekeyed);
            var totals = worker.Stop();
            Assert.Equal((1 + rekeyed, 1, rekeyed), (totals.Accepted, totals.FutureTimestamps, totals.Rekeyed));
        }

        var deadLetter = Assert.Single(_cluster.ReadAll($"{topic}.dead-letter"));
        Assert.Contains("future-1", Encoding.UTF8.GetString(deadLetter.Message.Value), StringComparison.Ordinal);
        Assert.Equal("future_timestamp", Header(deadLetter, KafkaWorker.ReasonHeader));
        Assert.Equal(
            $"event time {DateTimeOffset.FromUnixTimeMilliseconds(now + 3_600_000):O} is more than 60s after the clock {clock.GetUtcNow():O}",
            Header(deadLetter, KafkaWorker.DetailHeader));
        Assert.Matches($"^{topic}/[0-9]+/[0-9]+$", Header(deadLetter, KafkaWorker.SourceHeader));
    }

    [Fact]
    public void Dead_letters_carry_the_pseudonyms_of_ip_addresses_and_device_ids_and_the_rest_as_it_came()
    {
        var topic = WorkerScenario.Topic();
        var now = Tx.Utc(2026, 3, 6, 12);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(now));
        var pseudonyms = new Pseudonymizer(Enumerable.Repeat((byte)3, Pseudonymizer.KeyBytes).ToArray());
        var onTime = Tx.At(now - 1_000, id: "on-time");
        var future = Tx.At(now + 3_600_000, ip: "203.0.113.9", id: "future-1") with { DeviceId = "PHONE_SECRET" };
        Publish(topic, [onTime, future]);
        PublishRaw(topic, "CUST_X", """{"transaction_id":"bad-1","amount":-5,"ip_address":"203.0.113.10","device_id":"PHONE_OTHER"}""");
        using (var worker = StartWorker(topic, clock: clock, pseudonyms: pseudonyms))
        {
            var rekeyed = WorkerScenario.Rekeyed([onTime]);
            worker.WaitFor(t => t.Consumed == 3 + rekeyed);
            worker.Stop();
        }

        var byReason = _cluster.ReadAll($"{topic}.dead-letter").ToDictionary(m => Header(m, KafkaWorker.ReasonHeader), m => Encoding.UTF8.GetString(m.Message.Value));
        // The message as published, but for its two fields (a pseudonym is no IP address: a dead letter is for reading, not for re-sending).
        var expected = JsonNode.Parse(TransactionMessage.Serialize(future))!.AsObject();
        expected["ip_address"] = pseudonyms.IpAddress("203.0.113.9");
        expected["device_id"] = pseudonyms.DeviceId("PHONE_SECRET");
        Assert.Equal(expected.ToJsonString(), byReason["future_timestamp"]);
        Assert.Equal(
            $$"""{"transaction_id":"bad-1","amount":-5,"ip_address":"{{pseudonyms.IpAddress("203.0.113.10")}}","device_id":"{{pseudonyms.DeviceId("PHONE_OTHER")}}"}""",
            byReason["invalid"]);
        Assert.All(byReason.Values, v => Assert.DoesNotContain("203.0.113", v, StringComparison.Ordinal));
        Assert.All(byReason.Values, v => Assert.DoesNotContain("PHONE_", v, StringComparison.Ordinal));
    }

    [Fact]
    public void A_worker_that_takes_over_resumes_from_the_checkpoints_and_counts_nothing_twice()
    {
        var topic = WorkerScenario.Topic();
        var traffic = WorkerScenario.Traffic(topic);
        var first = Enumerable.Range(0, 150).Select(_ => traffic.Next().Transaction).ToList();
        Publish(topic, first);
        using (var worker = StartWorker(topic))
        {
            worker.WaitFor(t => t.Consumed == first.Count + WorkerScenario.Rekeyed(first));
            Assert.True(worker.Stop().Checkpoints > 0);
        }

        var second = Enumerable.Range(0, 150).Select(_ => traffic.Next().Transaction).ToList();
        // The first batch again, as a producer retrying after a timeout would: duplicates by transaction id.
        Publish(topic, [.. second, .. first.Take(20)]);
        using (var worker = StartWorker(topic))
        {
            var rekeyed = WorkerScenario.Rekeyed(second);
            worker.WaitFor(t => t.Consumed == second.Count + 20 + rekeyed);
            var totals = worker.Stop();
            Assert.Equal(second.Count + rekeyed, totals.Accepted);
            Assert.Equal(20, totals.Duplicates);
        }

        AssertStoreEquals(Reference([.. first, .. second]), [.. first, .. second]);
    }

    [Fact]
    public void Two_workers_share_the_partitions_and_together_serve_what_one_engine_would()
    {
        var topic = WorkerScenario.Topic();
        var traffic = WorkerScenario.Traffic(topic);
        var sent = Enumerable.Range(0, 300).Select(_ => traffic.Next().Transaction).ToList();
        Publish(topic, sent.Take(10).ToList()); // the topic exists once written to
        using var a = StartWorker(topic);
        using var b = StartWorker(topic);
        a.WaitFor(t => t.Partitions > 0);
        b.WaitFor(t => t.Partitions > 0);
        Publish(topic, sent.Skip(10).ToList());
        var rekeyed = WorkerScenario.Rekeyed(sent);
        WorkerRun.WaitFor(() => a.Totals.Consumed + b.Totals.Consumed == sent.Count + rekeyed, a, b);
        var totals = new[] { a.Stop(), b.Stop() };
        Assert.Equal(sent.Count + rekeyed, totals.Sum(t => t.Accepted));
        Assert.All(totals, t => Assert.True(t.Consumed > 0));
        AssertStoreEquals(Reference(sent), sent);
    }

    [Fact]
    public void A_worker_stopped_while_the_online_store_is_down_saves_no_checkpoint_past_the_states_it_holds()
    {
        var topic = WorkerScenario.Topic();
        // Enough merchants that every partition of the merchant topic holds some: each one has states to hold.
        var traffic = WorkerScenario.Traffic(topic, customers: 40, merchants: 40);
        var sent = Enumerable.Range(0, 200).Select(_ => traffic.Next().Transaction).ToList();
        var rekeyed = WorkerScenario.Rekeyed(sent);
        Publish(topic, sent);
        using (var worker = StartWorker(topic, new ControlledOnlineStore(_store) { Down = true }))
        {
            worker.WaitFor(t => t.Consumed == sent.Count + rekeyed);
            var totals = worker.Stop();
            Assert.Equal(0, totals.StatesWritten);
            Assert.Equal(0, totals.Checkpoints);
        }

        using (var worker = StartWorker(topic))
        {
            // No checkpoint to resume from: every source message again, re-keyed once more (duplicates on the re-keyed
            // topics, which now hold both copies), and this time every state is written.
            worker.WaitFor(t => t.Consumed == sent.Count + (2 * rekeyed));
            Assert.Equal(sent.Count + rekeyed, worker.Stop().Accepted);
        }

        AssertStoreEquals(Reference(sent), sent);
    }

    [Fact]
    public void A_worker_whose_kafka_went_away_still_stops_when_asked()
    {
        var topic = WorkerScenario.Topic();
        var cluster = new KafkaMockCluster();
        var transaction = WorkerScenario.Traffic(topic).Next().Transaction;
        var consumed = 1 + WorkerScenario.Rekeyed([transaction]);
        using (var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = cluster.BootstrapServers, Topic = topic }))
        {
            publisher.Publish(transaction);
            Assert.Equal(0, publisher.Flush().Failed);
        }

        var log = new LineLogger();
        using var worker = new WorkerRun(new KafkaWorker(
            new KafkaWorkerOptions { BootstrapServers = cluster.BootstrapServers, Topic = topic, GroupId = "g-" + topic },
            TestEngines.Default, _store, new DirectoryCheckpointStore(_checkpointDirectory.Path), log), log);
        worker.WaitFor(t => t.Consumed == consumed);
        cluster.Dispose(); // the brokers, and with them the group coordinator, are gone

        var totals = worker.Stop(); // returns: no step of the stop waits for the coordinator without a bound

        Assert.Equal(consumed, totals.Consumed);
        Assert.Equal(0, totals.Partitions);
    }

    private WorkerRun StartWorker(string topic, IOnlineStore? store = null, TimeProvider? clock = null, Pseudonymizer? pseudonyms = null)
    {
        var log = new LineLogger();
        return new WorkerRun(new KafkaWorker(WorkerScenario.FrequentCheckpoints(_cluster, topic) with { Pseudonyms = pseudonyms }, TestEngines.Default, store ?? _store, new DirectoryCheckpointStore(_checkpointDirectory.Path), log, clock), log);
    }

    private void Publish(string topic, IReadOnlyList<Transaction> transactions) => WorkerScenario.Publish(_cluster, topic, transactions);

    private void PublishRaw(string topic, string key, string value)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        producer.Produce(topic, new Message<string, string> { Key = key, Value = value });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    private static FeatureEngine Reference(IReadOnlyList<Transaction> transactions) => WorkerScenario.Reference(transactions);

    private void AssertStoreEquals(FeatureEngine reference, IReadOnlyList<Transaction> sent) => WorkerScenario.AssertStoreEquals(_store, reference, sent);

    private static string Header(ConsumeResult<string, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(name));
}
