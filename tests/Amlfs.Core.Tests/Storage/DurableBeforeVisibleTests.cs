using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Storage;

/// <summary>
/// Durable before visible: a transaction is admitted, appended to the log, committed and only then published to the
/// shards, so that no read ever sees a transaction that the log could still lose.
/// </summary>
public sealed class DurableBeforeVisibleTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 14, 12);

    [Fact]
    public void An_admitted_transaction_stays_invisible_until_it_is_published_under_its_log_sequence()
    {
        using var engine = new FeatureEngine(
            FeaturePlan.Compile(TestEngines.Default), EngineOptions.From(TestEngines.Default) with { ShardCount = 2 });
        var customer = engine.Plan.Entity("customer")!;
        Transaction[] batch = [Tx.At(Start, customer: "A", id: "T1"), Tx.At(Start + 1, customer: "A", id: "T1"), Tx.At(Start + 2, customer: "A", id: "T2")];
        var statuses = new IngestStatus[batch.Length];

        engine.Admit(batch, statuses);
        engine.Flush();
        var before = engine.Read(customer, "A", Start + 10, new double[customer.Features.Count], out var sequenceBefore);

        Assert.Equal([IngestStatus.Accepted, IngestStatus.Duplicate, IngestStatus.Accepted], statuses);
        Assert.Equal((false, 0L, 0L, (DateTimeOffset?)null), (before, sequenceBefore, engine.Accepted, engine.Watermark));

        engine.Publish(batch, statuses, [41, 0, 42]);
        engine.Flush();
        var after = engine.Features("customer", "A", Start + 10);
        engine.Read(customer, "A", Start + 10, new double[customer.Features.Count], out var sequenceAfter);

        Assert.Equal((2.0, 42L, 42L, 2L), (after["txn_count_60s"], sequenceAfter, engine.LogSequence, engine.Accepted));
        Assert.Equal(Start + 2, engine.Watermark!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Publishing_a_sequence_that_is_not_after_the_last_one_is_refused()
    {
        using var engine = TestEngines.Inline();
        Transaction[] first = [Tx.At(Start, id: "T1")];
        Transaction[] second = [Tx.At(Start + 1, id: "T2")];
        var statuses = new IngestStatus[1];
        engine.Admit(first, statuses);
        engine.Publish(first, statuses, [5]);
        engine.Admit(second, statuses);

        var error = Assert.Throws<ArgumentException>(() => engine.Publish(second, statuses, [5]));
        Assert.Contains("log sequence 5 of transaction 'T2' is not after the last published, 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_the_log_cannot_write_is_never_visible()
    {
        using var directory = new TempDirectory();
        var options = new EmbeddedStoreOptions { DataDirectory = directory.Path, SegmentBytes = WalOptions.MinSegmentBytes };
        using var engine = TestEngines.Inline();
        using var store = EmbeddedStore.Open(options, engine, TimeProvider.System);
        var customer = engine.Plan.Entity("customer")!;
        store.Ingest([Tx.At(Start, customer: "A", id: "before")], new IngestStatus[1]);
        // The next segment cannot be created, so the first append that rolls the log fails.
        Directory.Delete(Path.Combine(directory.Path, "wal"), recursive: true);
        var batch = Enumerable.Range(0, 2_000).Select(i => Tx.At(Start + 1 + i, customer: "B", id: $"lost-{i}")).ToArray();

        Assert.ThrowsAny<IOException>(() => store.Ingest(batch, new IngestStatus[batch.Length]));

        Assert.False(engine.Read(customer, "B", Start + 10_000, new double[customer.Features.Count]));
        Assert.Equal((1L, 1L), (engine.Accepted, engine.LogSequence));
        Assert.Equal(Start, engine.Watermark!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Reads_during_ingest_never_run_ahead_of_the_durable_log()
    {
        using var directory = new TempDirectory();
        var options = new EmbeddedStoreOptions { DataDirectory = directory.Path, FlushPolicy = WalFlushPolicy.Always };
        using var engine = new FeatureEngine(
            FeaturePlan.Compile(TestEngines.Default), EngineOptions.From(TestEngines.Default) with { ShardCount = 2 });
        using var store = EmbeddedStore.Open(options, engine, TimeProvider.System);
        var customer = engine.Plan.Entity("customer")!;
        var violations = new List<(long Read, long Durable)>();
        long reads = 0;
        var stop = false;
        var reader = new Thread(() =>
        {
            var values = new double[customer.Features.Count];
            while (!Volatile.Read(ref stop))
            {
                engine.Read(customer, "A", Start + 3_600_000, values, out var sequence);
                // Read after the features: a sequence the read saw must already be durable by then.
                var durable = store.Log.CommittedSequence;
                Interlocked.Increment(ref reads);
                if (sequence > durable)
                    violations.Add((sequence, durable));
            }
        });
        reader.Start();
        SpinWait.SpinUntil(() => Interlocked.Read(ref reads) > 0);

        var statuses = new IngestStatus[10];
        var groups = 0;
        // Until the reader has had its chances, but bounded: every group makes each read of A longer, so a starved reader
        // (a loaded machine) must not keep the ingest going for ever.
        for (; groups < 300 || (Interlocked.Read(ref reads) < 10_000 && groups < 2_000); groups++)
        {
            var batch = Enumerable.Range(0, 10).Select(i => Tx.At(Start + groups * 10 + i, customer: "A", id: $"T{groups}-{i}")).ToArray();
            store.Ingest(batch, statuses);
            engine.Flush();
        }

        Volatile.Write(ref stop, true);
        reader.Join();
        Assert.Empty(violations);
        Assert.Equal(groups * 10, engine.Features("customer", "A", Start + 3_600_000)["txn_count_1h"]);
    }
}
