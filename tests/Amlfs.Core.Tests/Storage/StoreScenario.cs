using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Synthetic;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Storage;

/// <summary>A synthetic stream and the helpers the store tests share: feeding an engine and its store as the host's
/// writer does, and comparing every feature of two engines.</summary>
internal static class StoreScenario
{
    /// <summary>Two days of 120 customers, typologies included: about a thousand transactions in time order.</summary>
    public static IReadOnlyList<Transaction> Stream { get; } = SyntheticGenerator
        .Stream(new SyntheticOptions { Customers = 120, Merchants = 20, Days = 2, Seed = 11 })
        .Select(t => t.Transaction)
        .ToList();

    /// <summary>The writer thread's loop: ingest each batch durably (admit, log the accepted, commit, publish).</summary>
    public static void Feed(FeatureEngine engine, EmbeddedStore store, IEnumerable<Transaction> transactions, int batchSize = 50)
    {
        var statuses = new IngestStatus[batchSize];
        foreach (var chunk in transactions.Chunk(batchSize))
        {
            store.Ingest(chunk, statuses.AsSpan(0, chunk.Length));
        }
    }

    /// <summary>An engine that ingested <paramref name="transactions"/> directly, for reference.</summary>
    public static FeatureEngine Reference(IEnumerable<Transaction> transactions, Amlfs.Registry.RegistryDefinition? definition = null)
    {
        var engine = TestEngines.Inline(definition);
        foreach (var chunk in transactions.Chunk(256))
            engine.IngestBatch(chunk, new IngestStatus[chunk.Length]);
        return engine;
    }

    /// <summary>Every feature of every customer and merchant of the stream, at several times, is the same in both.</summary>
    public static void AssertSameFeatures(FeatureEngine expected, FeatureEngine actual, IReadOnlyList<Transaction> stream)
    {
        Assert.Equal(expected.Watermark, actual.Watermark);
        var watermark = expected.Watermark!.Value.ToUnixTimeMilliseconds();
        long[] times = [watermark + 1, watermark - 1_000, watermark - 30 * 60_000, watermark - 6 * 3_600_000, watermark - 23 * 3_600_000];
        foreach (var (entity, ids) in new[]
        {
            ("customer", stream.Select(t => t.CustomerId).Distinct().ToList()),
            ("merchant", stream.Select(t => t.MerchantId).Distinct().ToList()),
        })
        {
            var plan = expected.Plan.Entity(entity)!;
            var want = new double[plan.Features.Count];
            var got = new double[plan.Features.Count];
            foreach (var id in ids)
            {
                foreach (var q in times)
                {
                    expected.Read(plan, id, q, want);
                    actual.Read(actual.Plan.Entity(entity)!, id, q, got);
                    Assert.True(want.AsSpan().SequenceEqual(got),
                        $"{entity} {id} at {q}: expected [{string.Join(", ", want)}], got [{string.Join(", ", got)}]");
                }
            }
        }
    }
}
