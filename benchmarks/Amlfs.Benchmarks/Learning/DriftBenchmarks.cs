using Amlfs.Learning.Drift;
using BenchmarkDotNet.Attributes;

namespace Amlfs.Benchmarks.Learning;

/// <summary>
/// What drift adds to a streamed decision, and what reading it costs: a <see cref="DriftMonitor"/> over 121 inputs (the
/// built-in definitions' model inputs) and the score, with reference deciles fitted on seeded rows of continuous,
/// discrete and partly missing values. One <see cref="Add"/> is one decision, a second of event time after the one
/// before, so the hourly buckets roll over as they do under live traffic; <see cref="Read"/> computes every index.
/// </summary>
[MemoryDiagnoser]
public class DriftBenchmarks
{
    private const int Inputs = 121;
    private const int Rows = 1_024;

    private DriftMonitor _monitor = null!;
    private double[] _rows = [];
    private double[] _scores = [];
    private long _timeMs = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var (training, trainingScores) = Synthetic(20_000, seed: 1);
        _monitor = new DriftMonitor(ReferenceDistribution.Fit([.. Enumerable.Range(0, Inputs).Select(i => "input_" + i)], training, trainingScores));
        (_rows, _scores) = Synthetic(Rows, seed: 2);
        for (var i = 0; i < 5_000; i++)
            Add();
    }

    [Benchmark]
    public void Add()
    {
        var row = _next++ % Rows;
        _timeMs += 1_000;
        _monitor.Add(_timeMs, _rows.AsSpan(row * Inputs, Inputs), _scores[row]);
    }

    [Benchmark]
    public double Read() => _monitor.Read(DateTimeOffset.UnixEpoch).ScorePsi ?? 0;

    /// <summary>A third of the inputs continuous, a third small counts, a third amounts with a tenth missing; scores skewed towards 0.</summary>
    private static (double[] Rows, double[] Scores) Synthetic(int rows, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * Inputs];
        var scores = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < Inputs; c++)
            {
                values[(r * Inputs) + c] = (c % 3) switch
                {
                    0 => random.NextDouble() * 100,
                    1 => Math.Floor(-Math.Log(1 - random.NextDouble()) * 2),
                    _ => random.NextDouble() < 0.1 ? double.NaN : Math.Exp(3 + (random.NextDouble() * 7)),
                };
            }

            scores[r] = Math.Pow(random.NextDouble(), 4);
        }

        return (values, scores);
    }
}
