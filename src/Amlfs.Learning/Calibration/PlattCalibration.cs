using System.Text.Json.Serialization;

namespace Amlfs.Learning.Calibration;

/// <summary>
/// Platt scaling: p = 1 / (1 + exp(-(A * s + B))) of the raw margin s. A well-ranked model has A &gt; 0.
/// </summary>
/// <param name="A">The slope on the raw margin.</param>
/// <param name="B">The intercept.</param>
public sealed record PlattCalibration(
    [property: JsonPropertyName("a")] double A,
    [property: JsonPropertyName("b")] double B) : ProbabilityCalibration
{
    private const int MaxIterations = 100;
    private const double GradientTolerance = 1e-9;
    private const double MinStep = 1e-12;

    /// <inheritdoc />
    public override double Apply(double rawScore) => Sigmoid((A * rawScore) + B);

    /// <summary>
    /// Fits A and B by maximum likelihood with Newton's method and a backtracking line search, against Platt's smoothed
    /// targets: (N+ + 1) / (N+ + 2) for a positive and 1 / (N- + 2) for a negative, which keep A and B finite on
    /// separable data. Starts from A = 0, B = log((N+ + 1) / (N- + 1)); stops when the gradient, divided by the number
    /// of rows, is below 1e-9 or after 100 iterations.
    /// </summary>
    /// <param name="rawScores">The model's raw margins on held-out rows, all finite.</param>
    /// <param name="labels">The rows' labels, both classes present.</param>
    public static PlattCalibration Fit(ReadOnlySpan<double> rawScores, ReadOnlySpan<bool> labels)
    {
        ValidateFitInput(rawScores, labels);
        long positives = 0;
        foreach (var label in labels)
        {
            if (label)
                positives++;
        }

        long negatives = labels.Length - positives;
        var positiveTarget = (positives + 1.0) / (positives + 2.0);
        var negativeTarget = 1.0 / (negatives + 2.0);
        double a = 0, b = Math.Log((positives + 1.0) / (negatives + 1.0));
        var loss = Loss(rawScores, labels, positiveTarget, negativeTarget, a, b);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            double gA = 0, gB = 0, hAA = 0, hAB = 0, hBB = 0;
            for (var i = 0; i < rawScores.Length; i++)
            {
                var s = rawScores[i];
                var p = Sigmoid((a * s) + b);
                var residual = p - (labels[i] ? positiveTarget : negativeTarget);
                var w = p * (1 - p);
                gA += residual * s;
                gB += residual;
                hAA += w * s * s;
                hAB += w * s;
                hBB += w;
            }

            if (Math.Max(Math.Abs(gA), Math.Abs(gB)) < GradientTolerance * rawScores.Length)
                break;
            // A tiny ridge keeps the 2x2 system solvable when every score is equal (hAA hBB = hAB^2).
            hAA += 1e-12;
            hBB += 1e-12;
            var det = (hAA * hBB) - (hAB * hAB);
            var dA = -((hBB * gA) - (hAB * gB)) / det;
            var dB = -((hAA * gB) - (hAB * gA)) / det;
            var slope = (gA * dA) + (gB * dB);
            var step = 1.0;
            while (step >= MinStep)
            {
                var nextA = a + (step * dA);
                var nextB = b + (step * dB);
                var nextLoss = Loss(rawScores, labels, positiveTarget, negativeTarget, nextA, nextB);
                if (nextLoss <= loss + (1e-4 * step * slope))
                {
                    (a, b, loss) = (nextA, nextB, nextLoss);
                    break;
                }

                step /= 2;
            }

            if (step < MinStep)
                break;
        }

        return new PlattCalibration(a, b);
    }

    /// <summary>1 / (1 + e^-z) without overflow for large |z|.</summary>
    private static double Sigmoid(double z)
    {
        if (z >= 0)
            return 1 / (1 + Math.Exp(-z));
        var e = Math.Exp(z);
        return e / (1 + e);
    }

    /// <summary>The cross-entropy against the smoothed targets, sum of t log(1 + e^-z) + (1 - t) log(1 + e^z).</summary>
    private static double Loss(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double positiveTarget, double negativeTarget, double a, double b)
    {
        double loss = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var z = (a * scores[i]) + b;
            var t = labels[i] ? positiveTarget : negativeTarget;
            loss += z >= 0 ? ((1 - t) * z) + Math.Log(1 + Math.Exp(-z)) : (-t * z) + Math.Log(1 + Math.Exp(z));
        }

        return loss;
    }
}
