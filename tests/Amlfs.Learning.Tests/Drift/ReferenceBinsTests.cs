using Amlfs.Learning.Drift;

namespace Amlfs.Learning.Tests.Drift;

public sealed class ReferenceBinsTests
{
    [Fact]
    public void A_continuous_variable_is_cut_at_its_deciles_with_a_tenth_of_the_rows_in_each_bin()
    {
        double[] values = [.. Enumerable.Range(1, 100).Select(i => (double)i).Reverse()];

        var bins = ReferenceBins.Fit("amount", values, 10);

        Assert.Equal([10, 20, 30, 40, 50, 60, 70, 80, 90], bins.Edges);
        // The values up to an edge are in its bin; above the last edge is the tenth bin; the missing bin is empty.
        Assert.Equal([.. Enumerable.Repeat(0.1, 10)], bins.Shares);
        Assert.Equal(0, bins.MissingShare);
        Assert.Equal(11, bins.BinCount);
    }

    [Fact]
    public void A_discrete_variable_gets_one_bin_per_level_its_quantiles_reach_and_a_constant_one_two()
    {
        // 70 zeros, 20 ones and 10 twos: the deciles are 0 seven times and 1 twice, so the twos are above the last edge.
        double[] counts = [.. Enumerable.Repeat(0.0, 70), .. Enumerable.Repeat(1.0, 20), .. Enumerable.Repeat(2.0, 10)];

        var discrete = ReferenceBins.Fit("txn_count_1h", counts, 10);
        var constant = ReferenceBins.Fit("weekend_txn_count_7d", [.. Enumerable.Repeat(3.0, 50)], 10);

        Assert.Equal([0, 1], discrete.Edges);
        Assert.Equal([0.7, 0.2, 0.1], discrete.Shares);
        Assert.Equal([3], constant.Edges);
        Assert.Equal([1, 0], constant.Shares);
    }

    [Fact]
    public void Missing_values_have_a_bin_of_their_own_and_take_no_part_in_the_cut_points()
    {
        double[] values = [double.NaN, 1, 2, double.NaN, 3, 4];

        var bins = ReferenceBins.Fit("unique_ips_1h", values, 2);
        var allMissing = ReferenceBins.Fit("device_count", [double.NaN, double.NaN], 10);

        Assert.Equal([2], bins.Edges);
        Assert.Equal([2 / 6.0, 2 / 6.0], bins.Shares);
        Assert.Equal(2 / 6.0, bins.MissingShare, 12);
        Assert.Equal(bins.BinCount - 1, ReferenceBins.BinOf([2.0], double.NaN));
        Assert.Empty(allMissing.Edges);
        Assert.Equal([0], allMissing.Shares);
        Assert.Equal(1, allMissing.MissingShare);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(10, 0)]
    [InlineData(10.5, 1)]
    [InlineData(20, 1)]
    [InlineData(30, 2)]
    [InlineData(31, 3)]
    [InlineData(double.PositiveInfinity, 3)]
    [InlineData(double.NaN, 4)]
    public void A_value_falls_in_the_bin_of_the_first_edge_at_or_above_it(double value, int bin)
    {
        Assert.Equal(bin, ReferenceBins.BinOf([10.0, 20.0, 30.0], value));
    }

    [Fact]
    public void The_bin_of_a_value_is_the_index_of_the_first_edge_at_or_above_it()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 500; trial++)
        {
            double[] edges = [.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => Math.Round(random.NextDouble() * 20)).Distinct().Order()];
            var value = Math.Round(random.NextDouble() * 22) - 1;

            var first = Array.FindIndex(edges, e => e >= value);

            Assert.Equal(first < 0 ? edges.Length : first, ReferenceBins.BinOf(edges, value));
        }
    }
}
