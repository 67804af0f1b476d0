namespace Amlfs.Learning.Trees;

/// <summary>
/// The Gauss–Legendre rule on [0, 1] with ⌈depth/2⌉ points, exact for the polynomials of degree below the depth that
/// TreeSHAP's Shapley weights turn into (see <see cref="TreeShapExplainer"/>), and the two factors r that an edge
/// credits its feature with, times the weight of each point: at o = 0, −1/(1 − t) whatever the zero fraction z; at
/// o = 1, (1 − z)/(z + t(1 − z)).
/// </summary>
internal sealed class ShapQuadrature
{
    public ShapQuadrature(int maxDepth)
    {
        var order = Math.Max(1, (maxDepth + 1) / 2);
        Points = new double[order];
        Weights = new double[order];
        for (var i = 0; i < order; i++)
        {
            // Newton's method on the Legendre polynomial of this order, from the usual estimate of its i-th root.
            var x = Math.Cos(Math.PI * (i + 0.75) / (order + 0.5));
            double derivative;
            for (var iteration = 0; ; iteration++)
            {
                var (value, previous) = (1.0, 0.0);
                for (var k = 1; k <= order; k++)
                {
                    var next = ((((2 * k) - 1) * x * value) - ((k - 1) * previous)) / k;
                    previous = value;
                    value = next;
                }

                derivative = order * ((x * value) - previous) / ((x * x) - 1);
                var step = value / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-16 || iteration == 100)
                {
                    break;
                }
            }

            // From [−1, 1] to [0, 1].
            Points[i] = (1 - x) / 2;
            Weights[i] = 1 / ((1 - (x * x)) * derivative * derivative);
        }
    }

    public int Count => Points.Length;

    public double[] Points { get; }

    public double[] Weights { get; }

    /// <summary>The weight of point <paramref name="point"/> times r at o = 0.</summary>
    public double ColdFactor(int point) => -Weights[point] / (1 - Points[point]);

    /// <summary>The weight of point <paramref name="point"/> times r at o = 1, for an edge of zero fraction <paramref name="zero"/>.</summary>
    public double HotFactor(double zero, int point) => Weights[point] * (1 - zero) / (zero + (Points[point] * (1 - zero)));
}
