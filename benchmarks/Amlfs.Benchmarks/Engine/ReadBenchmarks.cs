using Amlfs.Engine;
using Amlfs.Registry;
using BenchmarkDotNet.Attributes;

namespace Amlfs.Benchmarks.Engine;

/// <summary>
/// Read of every default feature of one entity as of now: a customer with a typical hour (a dozen transactions) and a
/// busy merchant (thousands of transactions in the hour).
/// </summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    private FeatureEngine _engine = null!;
    private EntityPlan _customer = null!;
    private EntityPlan _merchant = null!;
    private readonly double[] _customerValues = new double[15];
    private readonly double[] _merchantValues = new double[4];
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        var definition = DefinitionsLoader.LoadDefault();
        _engine = new FeatureEngine(FeaturePlan.Compile(definition),
            EngineOptions.From(definition) with { Threaded = false, ShardCount = 2 });
        // 12,000 transactions over one hour: 1,000 customers with 12 each, 4 merchants with 3,000 each.
        var stream = BenchmarkStream.Create(12_000, 1_000, 4, BenchmarkStream.Start, 300, 7, "R");
        foreach (var t in stream)
            _engine.Ingest(t);
        _now = stream[^1].TimestampMs + 1;
        _customer = _engine.Plan.Entity("customer")!;
        _merchant = _engine.Plan.Entity("merchant")!;
    }

    [Benchmark]
    public bool ReadCustomer() => _engine.Read(_customer, "CUST_000042", _now, _customerValues);

    [Benchmark]
    public bool ReadBusyMerchant() => _engine.Read(_merchant, "MERCH_00001", _now, _merchantValues);

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();
}
