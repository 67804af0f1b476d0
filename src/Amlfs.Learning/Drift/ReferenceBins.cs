using System.Text.Json.Serialization;

namespace Amlfs.Learning.Drift;

/// <summary>
/// One variable's distribution on a model's training data, as drift compares live values with it. The cut points
/// (<see cref="Edges"/>, ascending and distinct) split the values into <c>Edges.Count + 1</c> bins: bin <c>i</c> holds
/// the values above edge <c>i - 1</c> and at most edge <c>i</c>, the first reaching down to minus infinity and the
/// last up to plus infinity. Missing values (NaN) have a bin of their own after those. Each bin carries the share of
/// the training rows that fell into it.
/// </summary>
public sealed record ReferenceBins
{
    /// <summary>The model input's name, or <c>score</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The cut points, ascending and distinct; empty when every value was missing.</summary>
    public required IReadOnlyList<double> Edges { get; init; }

    /// <summary>The share of the training rows in each value bin: <c>Edges.Count + 1</c> of them.</summary>
    public required IReadOnlyList<double> Shares { get; init; }

    /// <summary>The share of the training rows whose value was missing (NaN).</summary>
    public required double MissingShare { get; init; }

    /// <summary>Bins in all: the value bins and the missing bin, which is the last.</summary>
    [JsonIgnore]
    public int BinCount => Edges.Count + 2;

    /// <summary>
    /// Cuts <paramref name="values"/> at the training quantiles <c>1/bins</c>, <c>2/bins</c>, ... <c>(bins - 1)/bins</c>
    /// of the values present, each taken as the value of its nearest rank (so that an edge is a value the training data
    /// holds, and a count or a flag is cut between its levels, never inside one). Equal quantiles collapse into one edge:
    /// a feature with few distinct values gets fewer bins, a constant one two (its value and above it). Then counts the
    /// share of rows, missing ones included, in each bin.
    /// </summary>
    /// <exception cref="ArgumentException">No values, or fewer than two bins asked for.</exception>
    public static ReferenceBins Fit(string name, ReadOnlySpan<double> values, int bins)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (values.IsEmpty)
            throw new ArgumentException($"{name}: no training values to take a distribution from", nameof(values));

        var present = new double[values.Length];
        var count = 0;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
                present[count++] = value;
        }

        var sorted = present.AsSpan(0, count);
        sorted.Sort();
        var edges = new List<double>(bins - 1);
        for (var j = 1; j < bins && count > 0; j++)
        {
            // Nearest rank: the smallest value with at least j/bins of the values at or below it.
            var rank = (int)(((long)j * count + bins - 1) / bins);
            var edge = sorted[rank - 1];
            if (edges.Count == 0 || edge > edges[^1])
                edges.Add(edge);
        }

        var edgeArray = edges.ToArray();
        var counts = new long[edgeArray.Length + 1];
        foreach (var value in sorted)
            counts[BinOf(edgeArray, value)]++;
        var rows = (double)values.Length;
        return new ReferenceBins
        {
            Name = name,
            Edges = edgeArray,
            Shares = [.. counts.Select(c => c / rows)],
            MissingShare = (values.Length - count) / rows,
        };
    }

    /// <summary>
    /// The bin of <paramref name="value"/> among cut points <paramref name="edges"/> (ascending): the number of edges
    /// below it, which is the index of the first edge at or above it, <c>edges.Length</c> above them all; and
    /// <c>edges.Length + 1</c> for a missing value. A count without branches rather than a binary search: over the
    /// nine edges of deciles it costs a few comparisons and never a mispredicted jump.
    /// </summary>
    public static int BinOf(ReadOnlySpan<double> edges, double value)
    {
        if (double.IsNaN(value))
            return edges.Length + 1;
        var bin = 0;
        foreach (var edge in edges)
            bin += edge < value ? 1 : 0;
        return bin;
    }

    /// <summary>Every bin's share, the missing bin last (<see cref="BinCount"/> of them).</summary>
    public double[] AllShares() => [.. Shares, MissingShare];

    /// <summary>Whether the edges ascend strictly and there is one share per value bin, each in [0, 1].</summary>
    public bool IsWellFormed()
    {
        for (var i = 1; i < Edges.Count; i++)
        {
            if (!(Edges[i] > Edges[i - 1]))
                return false;
        }

        return Shares.Count == Edges.Count + 1 && Shares.Append(MissingShare).All(s => s is >= 0 and <= 1);
    }
}
