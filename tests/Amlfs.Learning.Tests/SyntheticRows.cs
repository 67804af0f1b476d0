namespace Amlfs.Learning.Tests;

/// <summary>
/// Seeded rows for training small real models: a few informative features (interactions, a step, a sine, and
/// missingness that is itself informative) among noise columns, with NaNs and exact zeros sprinkled in.
/// </summary>
public sealed class SyntheticRows
{
    private SyntheticRows(double[] features, bool[] labels, int columns)
    {
        Features = features;
        Labels = labels;
        Columns = columns;
    }

    public double[] Features { get; }

    public bool[] Labels { get; }

    public int Columns { get; }

    public int Rows => Labels.Length;

    public ReadOnlySpan<double> Row(int row) => Features.AsSpan(row * Columns, Columns);

    /// <summary>
    /// Rows of <paramref name="columns"/> features (at least 12). Columns below <paramref name="missingColumns"/> are
    /// NaN with probability <paramref name="missingShare"/>; every column is exactly 0 with probability
    /// <paramref name="zeroShare"/>. Labels follow a noisy logistic model with <paramref name="noise"/> as the
    /// standard deviation of the logit's noise.
    /// </summary>
    public static SyntheticRows Create(
        int rows, int columns, int seed, double missingShare = 0.05, double zeroShare = 0.1, int missingColumns = 6, double noise = 1.0)
    {
        var random = new Random(seed);
        var features = new double[rows * columns];
        var labels = new bool[rows];
        for (var row = 0; row < rows; row++)
        {
            var x = features.AsSpan(row * columns, columns);
            for (var column = 0; column < columns; column++)
            {
                var draw = random.NextDouble();
                x[column] = column < missingColumns && draw < missingShare ? double.NaN
                    : draw > 1 - zeroShare ? 0.0
                    : Gaussian(random);
            }

            var logit = -2.2
                + (1.4 * Value(x[0]))
                - (1.0 * Value(x[1]))
                + (0.9 * Value(x[2]) * Value(x[3]))
                + (double.IsNaN(x[4]) ? 1.5 : 0.6 * Math.Abs(x[4]))
                + (x[5] == 0 ? -1.0 : 0.0)
                + (Math.Sin(2 * x[7]) * 0.8)
                + (x[8] > 0.7 ? 1.0 : 0.0)
                - (0.5 * x[9] * x[10])
                + (noise * Gaussian(random));
            labels[row] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
        }

        return new SyntheticRows(features, labels, columns);
    }

    private static double Value(double x) => double.IsNaN(x) ? 0.0 : x;

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
