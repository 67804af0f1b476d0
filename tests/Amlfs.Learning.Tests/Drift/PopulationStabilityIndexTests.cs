using Amlfs.Learning.Drift;

namespace Amlfs.Learning.Tests.Drift;

public sealed class PopulationStabilityIndexTests
{
    [Fact]
    public void The_index_is_the_sum_of_each_bins_share_difference_times_the_log_of_their_ratio()
    {
        // Halves against three quarters and a quarter: 0.25 ln(0.75 / 0.5) + (-0.25) ln(0.25 / 0.5) = 0.25 ln 3.
        Assert.Equal(0.25 * Math.Log(3), PopulationStabilityIndex.Of([0.5, 0.5], [3, 1]), 12);
        // Deciles against a day whose values all fell in the first bin: 0.9 ln 10, plus nine floored bins of
        // (1e-4 - 0.1) ln(1e-4 / 0.1) each.
        double[] deciles = [.. Enumerable.Repeat(0.1, 10)];
        long[] first = [1000, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal((0.9 * Math.Log(10)) + (9 * (1e-4 - 0.1) * Math.Log(1e-3)), PopulationStabilityIndex.Of(deciles, first), 12);
    }

    [Fact]
    public void A_bin_empty_in_the_reference_counts_with_the_floor_and_one_empty_on_both_sides_adds_nothing()
    {
        // The live values split evenly between a bin that held every training row and one that held none.
        var expected = (-0.5 * Math.Log(0.5)) + ((0.5 - PopulationStabilityIndex.Floor) * Math.Log(0.5 / PopulationStabilityIndex.Floor));
        Assert.Equal(expected, PopulationStabilityIndex.Of([1, 0], [7, 7]), 12);
        Assert.True(double.IsFinite(PopulationStabilityIndex.Of([1, 0], [0, 7])));

        Assert.Equal(0, PopulationStabilityIndex.Of([0.5, 0.5, 0], [4, 4, 0]), 12);
    }

    [Fact]
    public void Identical_distributions_give_zero_and_the_index_grows_with_the_shift()
    {
        double[] reference = [0.1, 0.2, 0.4, 0.2, 0.1];

        Assert.Equal(0, PopulationStabilityIndex.Of(reference, [10, 20, 40, 20, 10]), 12);
        var small = PopulationStabilityIndex.Of(reference, [8, 20, 40, 20, 12]);
        var large = PopulationStabilityIndex.Of(reference, [0, 10, 30, 30, 30]);
        Assert.InRange(small, 1e-6, 0.1);
        Assert.True(large > 0.2, $"PSI {large}");
    }

    [Fact]
    public void The_usual_reading_of_an_index_has_three_bands()
    {
        Assert.Equal(DriftBand.Stable, PopulationStabilityIndex.Band(0));
        Assert.Equal(DriftBand.Stable, PopulationStabilityIndex.Band(0.0999));
        Assert.Equal(DriftBand.Moderate, PopulationStabilityIndex.Band(0.1));
        Assert.Equal(DriftBand.Moderate, PopulationStabilityIndex.Band(0.2));
        Assert.Equal(DriftBand.Significant, PopulationStabilityIndex.Band(0.2001));
    }

    [Fact]
    public void No_live_values_or_other_bins_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PopulationStabilityIndex.Of([0.5, 0.5], [0, 0]));
        Assert.Throws<ArgumentException>(() => PopulationStabilityIndex.Of([0.5, 0.5], [1, 1, 1]));
    }
}
