using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// The engine numbers accepted transactions as the write-ahead log does, and a read says up to which of them its
/// entity's features go: what feature logging records so that a served vector can be recomputed exactly.
/// </summary>
public sealed class LogSequenceTests
{
    private static readonly long Start = Tx.Utc(2026, 3, 14, 12);

    [Fact]
    public void A_read_gives_the_sequence_of_the_newest_arrived_event_of_its_entity()
    {
        using var engine = TestEngines.Inline();
        var customer = engine.Plan.Entity("customer")!;
        var merchant = engine.Plan.Entity("merchant")!;
        var values = new double[customer.Features.Count];
        engine.Ingest(Tx.At(Start, customer: "A", merchant: "M"));
        engine.Ingest(Tx.At(Start + 1_000, customer: "B", merchant: "M"));
        engine.Ingest(Tx.At(Start + 2_000, customer: "A", merchant: "N", id: "dup"));
        engine.Ingest(Tx.At(Start + 3_000, customer: "A", merchant: "N", id: "dup"));
        // Late by an hour: rejected, so it takes no sequence.
        engine.Ingest(Tx.At(Start - 3_600_000, customer: "A"));
        // Out of order within the lateness: accepted, newest to arrive though not newest in time.
        engine.Ingest(Tx.At(Start + 500, customer: "B", merchant: "N"));

        Assert.Equal(4, engine.LogSequence);
        engine.Read(customer, "A", Start + 10_000, values, out var a);
        engine.Read(customer, "B", Start + 10_000, values, out var b);
        engine.Read(customer, "NOBODY", Start + 10_000, values, out var nobody);
        engine.Read(merchant, "M", Start + 10_000, new double[merchant.Features.Count], out var m);
        Assert.Equal((3L, 4L, 0L, 2L), (a, b, nobody, m));
    }

    [Fact]
    public void History_from_before_the_log_takes_sequence_zero_and_leaves_the_numbering_as_it_is()
    {
        using var engine = TestEngines.Inline();
        var customer = engine.Plan.Entity("customer")!;
        var values = new double[customer.Features.Count];
        Transaction[] batch = [Tx.At(Start, customer: "A"), Tx.At(Start + 1, customer: "B"), Tx.At(Start + 2, customer: "A")];
        engine.IngestBatch(batch, new IngestStatus[3], [7, 0, 0]);

        engine.Read(customer, "A", Start + 10, values, out var a);
        engine.Read(customer, "B", Start + 10, values, out var b);
        Assert.Equal((7L, 7L, 0L), (engine.LogSequence, a, b));
        Assert.Equal(1, values[customer.Features.ToList().FindIndex(f => f.Name == "txn_count_60s")]); // B's event is applied
        engine.Ingest(Tx.At(Start + 3, customer: "B"));
        engine.Read(customer, "B", Start + 10, values, out b);
        Assert.Equal(8, b);
    }

    [Fact]
    public void A_snapshot_carries_the_engine_and_entity_sequences()
    {
        using var engine = TestEngines.Inline();
        var customer = engine.Plan.Entity("customer")!;
        engine.Ingest(Tx.At(Start, customer: "A"));
        engine.Ingest(Tx.At(Start + 1, customer: "B"));
        using var stream = new MemoryStream();
        engine.WriteSnapshot(stream);
        stream.Position = 0;

        using var restored = TestEngines.Inline();
        Assert.True(restored.TryRestoreSnapshot(stream));
        restored.Read(customer, "A", Start + 10, new double[customer.Features.Count], out var a);
        Assert.Equal((2L, 1L), (restored.LogSequence, a));
        restored.Ingest(Tx.At(Start + 2, customer: "A"));
        restored.Read(customer, "A", Start + 10, new double[customer.Features.Count], out a);
        Assert.Equal(3, a);
    }

    [Fact]
    public void Recovery_numbers_entities_with_the_log_sequences()
    {
        using var dir = new TempDirectory();
        var options = new EmbeddedStoreOptions { DataDirectory = dir.Path, FlushPolicy = WalFlushPolicy.None };
        using (var engine = TestEngines.Inline())
        using (var store = EmbeddedStore.Open(options, engine, TimeProvider.System))
        {
            Transaction[] batch = [Tx.At(Start, customer: "A"), Tx.At(Start + 1, customer: "B"), Tx.At(Start + 2, customer: "A")];
            var statuses = new IngestStatus[batch.Length];
            store.Ingest(batch, statuses);
        }

        using var recovered = TestEngines.Inline();
        using var reopened = EmbeddedStore.Open(options, recovered, TimeProvider.System);
        var customer = recovered.Plan.Entity("customer")!;
        recovered.Read(customer, "A", Start + 10, new double[customer.Features.Count], out var a);
        recovered.Read(customer, "B", Start + 10, new double[customer.Features.Count], out var b);
        Assert.Equal((3L, 3L, 2L), (recovered.LogSequence, a, b));
    }

    [Fact]
    public void The_log_files_read_beside_the_writer_that_holds_them()
    {
        using var dir = new TempDirectory();
        using var log = WriteAheadLog.Open(dir.Path, new WalOptions { FlushPolicy = WalFlushPolicy.None });
        log.Append(Tx.At(Start, id: "A"));
        log.Append(Tx.At(Start + 1, id: "B"));
        log.Commit();

        var records = WalFiles.ReadCommitted(dir.Path).ToArray();

        Assert.Equal([(1L, "A"), (2L, "B")], records.Select(r => (r.Sequence, r.Transaction.TransactionId)));
    }
}
