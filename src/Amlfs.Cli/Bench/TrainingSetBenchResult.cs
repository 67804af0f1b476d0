using Amlfs.Parquet.Training;

namespace Amlfs.Cli.Bench;

/// <summary>What <see cref="TrainingSetBench"/> measured.</summary>
internal sealed record TrainingSetBenchResult(
    TrainingSetSummary Summary, double OurSeconds, double DuckDbSeconds, double OurCpuSeconds, double DuckDbCpuSeconds, long DuckDbRows, long ComparedRows, long Mismatches)
{
    public double RowsPerSecond => Summary.Rows / OurSeconds;

    public double DuckDbRatio => OurSeconds / DuckDbSeconds;
}
