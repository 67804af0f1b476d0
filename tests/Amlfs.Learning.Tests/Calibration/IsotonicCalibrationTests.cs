using System.Text.Json;
using Amlfs.Learning.Calibration;
using CsCheck;

namespace Amlfs.Learning.Tests.Calibration;

public sealed class IsotonicCalibrationTests
{
    [Fact]
    public void A_clean_step_is_fitted_exactly_and_interpolated_between_its_edges()
    {
        var fit = IsotonicCalibration.Fit([1, 2, 3, 4], [false, false, true, true]);

        Assert.Equal([1.0, 2, 3, 4], fit.Thresholds);
        Assert.Equal([0.0, 0, 1, 1], fit.Values);
        Assert.Equal(0, fit.Apply(2));
        Assert.Equal(0.5, fit.Apply(2.5));
        Assert.Equal(0.25, fit.Apply(2.25));
        Assert.Equal(1, fit.Apply(3));
        Assert.Equal(0, fit.Apply(-100));
        Assert.Equal(1, fit.Apply(100));
        Assert.True(double.IsNaN(fit.Apply(double.NaN)));
    }

    [Fact]
    public void Violators_are_pooled_with_ties_weighted_by_their_count()
    {
        // Margin 1: one negative; margin 2: three rows tied (+, +, -) = 2/3; margin 3: one negative = 0, which violates
        // 2/3 and pools with it: (2 + 0) / (3 + 1) = 1/2 over [2, 3]; margin 4: a positive.
        var fit = IsotonicCalibration.Fit([1, 2, 2, 2, 3, 4], [false, true, true, false, false, true]);

        Assert.Equal([1.0, 2, 3, 4], fit.Thresholds);
        Assert.Equal([0.0, 0.5, 0.5, 1], fit.Values);
    }

    [Fact]
    public void Breakpoints_inside_a_run_of_equal_values_are_dropped()
    {
        var fit = IsotonicCalibration.Fit([1, 2, 3, 4, 5], [false, false, false, true, true]);

        Assert.Equal([1.0, 3, 4, 5], fit.Thresholds);
        Assert.Equal([0.0, 0, 1, 1], fit.Values);
    }

    [Fact]
    public void The_fit_is_monotone_and_reproduces_block_rates_on_random_data()
    {
        Gen.Select(Gen.Int[-5, 5], Gen.Bool).Array[2, 60].Sample(rows =>
        {
            var scores = rows.Select(r => r.Item1 / 2.0).ToArray();
            var labels = rows.Select(r => r.Item2).ToArray();
            if (!labels.Contains(true) || !labels.Contains(false))
                return;

            var fit = IsotonicCalibration.Fit(scores, labels);

            var previous = double.NegativeInfinity;
            for (var x = -4.0; x <= 4.0; x += 0.125)
            {
                var y = fit.Apply(x);
                Assert.InRange(y, previous, 1);
                previous = y;
            }

            // The weighted mean of the fitted values equals the positive rate: pooling keeps the sums.
            Assert.Equal(labels.Count(l => l) / (double)labels.Length, scores.Average(fit.Apply), 12);
        });
    }

    [Fact]
    public void The_json_form_round_trips_to_an_equal_calibration()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 500).Select(_ => (random.NextDouble() * 6) - 3).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 1 / (1 + Math.Exp(-s))).ToArray();
        ProbabilityCalibration fit = IsotonicCalibration.Fit(scores, labels);

        var json = fit.ToJson();
        var back = ProbabilityCalibration.FromJson(json);

        Assert.StartsWith("{\"kind\":\"isotonic\",\"x\":[", json, StringComparison.Ordinal);
        Assert.Equal(fit, back);
        Assert.Equal(json, back.ToJson());
        foreach (var s in scores)
            Assert.Equal(fit.Apply(s + 0.001), back.Apply(s + 0.001));
        Assert.Equal(fit, JsonSerializer.Deserialize<ProbabilityCalibration>(JsonSerializer.Serialize(fit)));
    }

    [Fact]
    public void Invalid_breakpoints_are_refused_when_read()
    {
        Assert.Throws<JsonException>(() => ProbabilityCalibration.FromJson("""{"kind":"isotonic","x":[1,0],"y":[0,1]}"""));
        Assert.Throws<JsonException>(() => ProbabilityCalibration.FromJson("""{"kind":"isotonic","x":[0,1],"y":[1,0]}"""));
        Assert.Throws<JsonException>(() => ProbabilityCalibration.FromJson("""{"kind":"nope"}"""));
    }

    [Fact]
    public void Fitting_needs_both_classes()
    {
        Assert.Throws<ArgumentException>(() => IsotonicCalibration.Fit([1, 2], [true, true]));
    }
}
