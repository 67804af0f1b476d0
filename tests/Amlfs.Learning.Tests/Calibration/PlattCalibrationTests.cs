using Amlfs.Learning.Calibration;

namespace Amlfs.Learning.Tests.Calibration;

public sealed class PlattCalibrationTests
{
    [Fact]
    public void The_fit_recovers_the_slope_and_intercept_of_a_known_logistic()
    {
        // Labels drawn from p = sigmoid(2 s - 1) over s uniform in [-4, 4]: with 20,000 rows the maximum-likelihood
        // estimates lie within a few hundredths of (2, -1), and the smoothing of the targets moves them by ~1e-4.
        var random = new Random(42);
        var scores = Enumerable.Range(0, 20_000).Select(_ => (random.NextDouble() * 8) - 4).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 1 / (1 + Math.Exp(-((2 * s) - 1)))).ToArray();

        var fit = PlattCalibration.Fit(scores, labels);

        Assert.InRange(fit.A, 1.9, 2.1);
        Assert.InRange(fit.B, -1.1, -0.9);
        Assert.Equal(1 / (1 + Math.Exp(-((fit.A * 0.5) + fit.B))), fit.Apply(0.5), 15);
    }

    [Fact]
    public void Separable_data_gives_a_finite_fit_thanks_to_the_smoothed_targets()
    {
        var fit = PlattCalibration.Fit([-2, -1, 1, 2], [false, false, true, true]);

        Assert.True(double.IsFinite(fit.A) && fit.A > 0);
        Assert.True(fit.Apply(2) < 1);
        Assert.True(fit.Apply(-2) > 0);
    }

    [Fact]
    public void Extreme_margins_give_probabilities_without_overflow()
    {
        var platt = new PlattCalibration(1, 0);

        Assert.Equal(1, platt.Apply(1e6));
        Assert.Equal(0, platt.Apply(-1e6));
        Assert.Equal(0.5, platt.Apply(0));
    }

    [Fact]
    public void The_json_form_round_trips_exactly()
    {
        ProbabilityCalibration platt = new PlattCalibration(1.2345678901234567, -0.1 - 0.2);

        var json = platt.ToJson();
        var back = ProbabilityCalibration.FromJson(json);

        Assert.Equal("{\"kind\":\"platt\",\"a\":1.2345678901234567,\"b\":-0.30000000000000004}", json);
        Assert.Equal(platt, back);
        Assert.Equal(platt.Apply(0.7), back.Apply(0.7));
        Assert.Equal(platt, ProbabilityCalibration.FromJson("""{"b":-0.30000000000000004,"kind":"platt","a":1.2345678901234567}"""));
    }
}
