using System.Globalization;
using Amlfs.Engine;
using Amlfs.Registry;
using BenchmarkDotNet.Attributes;

namespace Amlfs.Benchmarks.Engine;

/// <summary>
/// Write and restore of a snapshot of an engine holding 100,000 customers and 1,000 merchants of the default features
/// after 50 minutes of 1,000,000 transactions (10 per customer, 1,000 per merchant, a million live transaction ids).
/// Write goes to a reused memory stream; restore builds a fresh engine (its id table included) and reads into it.
/// GlobalSetup prints the snapshot's size per entity.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private const int Customers = 100_000;
    private const int Merchants = 1_000;
    private const int Transactions = 1_000_000;
    private FeaturePlan _plan = null!;
    private EngineOptions _options = null!;
    private FeatureEngine _engine = null!;
    private MemoryStream _output = null!;
    private byte[] _snapshot = [];

    [GlobalSetup]
    public void Setup()
    {
        var definition = DefinitionsLoader.LoadDefault();
        _plan = FeaturePlan.Compile(definition);
        _options = EngineOptions.From(definition) with
        {
            Threaded = false,
            ShardCount = 2,
            ExpectedTransactions = Transactions,
        };
        _engine = new FeatureEngine(_plan, _options);
        var stream = BenchmarkStream.Create(Transactions, Customers, Merchants, BenchmarkStream.Start, 3, 11, "S");
        var statuses = new IngestStatus[1_024];
        for (var i = 0; i < stream.Length; i += statuses.Length)
            _engine.IngestBatch(stream.AsSpan(i, Math.Min(statuses.Length, stream.Length - i)), statuses);
        _output = new MemoryStream();
        _engine.WriteSnapshot(_output);
        _snapshot = _output.ToArray();
        var entities = _plan.Entities.Sum(_engine.EntityCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// snapshot: {_snapshot.Length:N0} bytes, {entities:N0} entities, {_snapshot.Length / (double)entities:F1} bytes per entity (ids included)"));
    }

    [Benchmark]
    public long Write()
    {
        _output.Position = 0;
        _output.SetLength(0);
        _engine.WriteSnapshot(_output);
        return _output.Length;
    }

    [Benchmark]
    public long Restore()
    {
        using var engine = new FeatureEngine(_plan, _options);
        if (!engine.TryRestoreSnapshot(new MemoryStream(_snapshot, writable: false)))
            throw new InvalidOperationException("the snapshot was refused");
        return engine.Accepted;
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();
}
