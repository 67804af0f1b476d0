using System.Diagnostics;
using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Server.Observability;
using BenchmarkDotNet.Attributes;
using Prometheus;

namespace Amlfs.Benchmarks.Serving;

/// <summary>
/// What <c>/metrics</c> costs a request: recording its duration (the route's series found in a dictionary, then
/// prometheus-net's lock-free histogram), a prediction and a score, and the data quality check of one served vector of
/// the default customer features. Each should allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private readonly ServerMetrics _metrics = new();
    private FeatureQuality _quality = null!;
    private EntityPlan _customer = null!;
    private double[] _vector = null!;
    private long _start;

    [GlobalSetup]
    public void Setup()
    {
        var plan = FeaturePlan.Compile(DefinitionsLoader.LoadDefault());
        _quality = new FeatureQuality(plan, Metrics.NewCustomRegistry());
        _customer = plan.Entity("customer")!;
        _vector = new double[_customer.Features.Count + _customer.RequestFeatures.Count];
        _start = Stopwatch.GetTimestamp();
        _metrics.RecordRequest("/predict", "POST", 200, _start);
        _metrics.RecordScore("rules-1", 0.25, 0.00001);
    }

    [GlobalCleanup]
    public void Cleanup() => _metrics.Dispose();

    [Benchmark]
    public void RecordRequest() => _metrics.RecordRequest("/predict", "POST", 200, _start);

    [Benchmark]
    public void RecordPredictionAndScore()
    {
        _metrics.RecordPrediction(RiskLevel.Low);
        _metrics.RecordScore("rules-1", 0.25, 0.00001);
    }

    [Benchmark]
    public void CheckServedVector() => _quality.Record(_customer, _vector);
}
