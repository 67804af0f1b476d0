using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Transactions;
using BenchmarkDotNet.Attributes;

namespace Amlfs.Benchmarks.Engine;

/// <summary>
/// Ingest of the default features, steady state: the engine lives across iterations and each iteration feeds the next
/// batch of a continuing stream (fresh ids, later times), so entity storage has reached its size and the id table is
/// pre-sized. Allocated bytes per operation are the engine's own (the batch is built in IterationSetup).
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private const int Batch = 100_000;
    private FeatureEngine _engine = null!;
    private Transaction[] _batch = [];
    private long _nextStart;
    private int _iteration;

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
            ExpectedTransactions = 8_000_000,
        };
        _engine = new FeatureEngine(FeaturePlan.Compile(definition), options);
        _nextStart = BenchmarkStream.Start;
        // Warm the entities: one hour of traffic before measuring.
        foreach (var t in BenchmarkStream.Create(Batch * 4, 10_000, 1_000, _nextStart, 36, 1, "W"))
            _engine.Ingest(t);
        _engine.Flush();
        _nextStart += Batch * 4 * 36L;
    }

    [IterationSetup]
    public void NextBatch()
    {
        _batch = BenchmarkStream.Create(Batch, 10_000, 1_000, _nextStart, 36, ++_iteration, $"I{_iteration}_");
        _nextStart += Batch * 36L;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long Ingest()
    {
        foreach (var t in _batch)
            _engine.Ingest(t);
        _engine.Flush();
        return _engine.Accepted;
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();
}
