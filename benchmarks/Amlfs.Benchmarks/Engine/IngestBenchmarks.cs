using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Transactions;
using BenchmarkDotNet.Attributes;

namespace Amlfs.Benchmarks.Engine;

/// <summary>
/// Ingest of the default features, steady state: the engine lives across iterations and each invocation feeds the
/// next batch of one continuing stream (fresh ids, later times) in chunks of 1,024, after 30 hours of warm-up traffic.
/// The query history is 1 h here (24 h by default) so that 30 hours cover everything an entity retains (the 24 h
/// night tiles included) and every entity holds as much as it ever will.
/// Every batch is built in GlobalSetup, so the allocations reported are the engine's alone.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(15)]
[InvocationCount(1, unrollFactor: 1)]
public class IngestBenchmarks
{
    private const int Batch = 100_000;
    private const int Batches = 24; // more than warm-up + iterations: no batch is ever ingested twice
    private const long SpacingMs = 36; // 100,000 events an hour
    private const int WarmUpHours = 30;
    private readonly IngestStatus[] _statuses = new IngestStatus[1_024];
    private FeatureEngine _engine = null!;
    private Transaction[][] _batches = [];
    private int _next;

    [Params(false, true)]
    public bool Threaded { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var definition = DefinitionsLoader.LoadDefault();
        var options = EngineOptions.From(definition) with
        {
            Threaded = Threaded,
            ShardCount = Threaded ? 2 : 1,
            ExpectedTransactions = (Batches + WarmUpHours) * Batch,
            QueryHistoryMs = 3_600_000,
        };
        _engine = new FeatureEngine(FeaturePlan.Compile(definition), options);
        var start = BenchmarkStream.Start;
        for (var hour = 0; hour < WarmUpHours; hour++)
        {
            Feed(BenchmarkStream.Create(Batch, 10_000, 1_000, start, SpacingMs, 1_000 + hour, $"W{hour}_"));
            start += Batch * SpacingMs;
        }

        _engine.Flush();
        _batches = Enumerable.Range(0, Batches)
            .Select(b => BenchmarkStream.Create(Batch, 10_000, 1_000, start + b * Batch * SpacingMs, SpacingMs, b + 2, $"B{b}_"))
            .ToArray();
        _next = 0;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long Ingest()
    {
        if (_next == _batches.Length)
            throw new InvalidOperationException("more invocations than prepared batches");
        Feed(_batches[_next++]);
        _engine.Flush();
        return _engine.Accepted;
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    private void Feed(Transaction[] transactions)
    {
        for (var i = 0; i < transactions.Length; i += _statuses.Length)
            _engine.IngestBatch(transactions.AsSpan(i, Math.Min(_statuses.Length, transactions.Length - i)), _statuses);
    }
}
