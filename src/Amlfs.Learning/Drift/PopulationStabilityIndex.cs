namespace Amlfs.Learning.Drift;

/// <summary>
/// The population stability index of a live distribution against a reference one over the same bins:
/// <c>PSI = sum over bins of (actual - expected) * ln(actual / expected)</c>, where <c>expected</c> is a bin's share of
/// the reference and <c>actual</c> its share of the live values. Every term is zero or positive, and the sum is zero
/// only when the two distributions agree bin for bin. A share below <see cref="Floor"/> counts as <see cref="Floor"/>
/// on either side, so that a bin empty on one side gives a large but finite term, and a bin empty on both gives none.
/// The usual reading: below 0.1 stable, 0.1 to 0.2 a moderate shift, above 0.2 a significant one (<see cref="Band"/>).
/// </summary>
public static class PopulationStabilityIndex
{
    /// <summary>The smallest share a bin counts with (one in ten thousand).</summary>
    public const double Floor = 1e-4;

    /// <summary>Up to this, a PSI reads as stable.</summary>
    public const double StableBelow = 0.1;

    /// <summary>Above this, a PSI reads as a significant shift (the default threshold of the <c>psi_above</c> alert rule).</summary>
    public const double SignificantAbove = 0.2;

    /// <summary>
    /// The PSI of the live <paramref name="counts"/> (values per bin) against the reference <paramref name="expected"/>
    /// (share per bin, the same bins).
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length, or the counts are all zero.</exception>
    public static double Of(ReadOnlySpan<double> expected, ReadOnlySpan<long> counts)
    {
        if (expected.Length != counts.Length)
            throw new ArgumentException($"{counts.Length} live bins against {expected.Length} reference bins", nameof(counts));
        long total = 0;
        foreach (var count in counts)
            total += count;
        if (total <= 0)
            throw new ArgumentException("no live values: the PSI is undefined", nameof(counts));

        var psi = 0.0;
        for (var i = 0; i < counts.Length; i++)
        {
            var actual = Math.Max((double)counts[i] / total, Floor);
            var reference = Math.Max(expected[i], Floor);
            psi += (actual - reference) * Math.Log(actual / reference);
        }

        return psi;
    }

    /// <summary>How a PSI is usually read.</summary>
    public static DriftBand Band(double psi) =>
        psi < StableBelow ? DriftBand.Stable : psi <= SignificantAbove ? DriftBand.Moderate : DriftBand.Significant;
}
