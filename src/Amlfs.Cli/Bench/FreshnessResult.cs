using HdrHistogram;

namespace Amlfs.Cli.Bench;

/// <summary>What <see cref="FreshnessBench"/> measured: latencies in microseconds and the reads it took.</summary>
internal sealed record FreshnessResult(int Samples, long Reads, LongHistogram Microseconds)
{
    public double Percentile(double p) => Microseconds.GetValueAtPercentile(p) / 1000.0;

    public double MaxMs => Microseconds.GetMaxValue() / 1000.0;
}
