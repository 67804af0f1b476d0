using System.Text.Json.Serialization;

namespace Amlfs.Learning.Calibration;

/// <summary>
/// Isotonic regression of the label on the raw margin: a non-decreasing piecewise-linear map through sorted
/// breakpoints (<see cref="Thresholds"/>, <see cref="Values"/>). Between two breakpoints the value is interpolated
/// linearly; below the first and above the last it is clamped to the end values.
/// </summary>
public sealed record IsotonicCalibration : ProbabilityCalibration
{
    private readonly double[] _thresholds;
    private readonly double[] _values;

    /// <summary>Makes a calibration from breakpoints, as <see cref="Fit"/> or the JSON form give them.</summary>
    /// <param name="thresholds">Raw margins, finite and strictly increasing, at least one.</param>
    /// <param name="values">The probability at each threshold, in [0, 1] and non-decreasing.</param>
    [JsonConstructor]
    public IsotonicCalibration(IReadOnlyList<double> thresholds, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(values);
        if (thresholds.Count == 0 || thresholds.Count != values.Count)
            throw new ArgumentException($"{thresholds.Count} thresholds and {values.Count} values: a calibration needs one value per threshold, at least one.", nameof(values));
        _thresholds = [.. thresholds];
        _values = [.. values];
        for (var i = 0; i < _thresholds.Length; i++)
        {
            if (!double.IsFinite(_thresholds[i]) || (i > 0 && _thresholds[i] <= _thresholds[i - 1]))
                throw new ArgumentException("The thresholds are finite and strictly increasing.", nameof(thresholds));
            if (!(_values[i] is >= 0 and <= 1) || (i > 0 && _values[i] < _values[i - 1]))
                throw new ArgumentException("The values are in [0, 1] and non-decreasing.", nameof(values));
        }
    }

    /// <summary>The breakpoints' raw margins, strictly increasing.</summary>
    [JsonPropertyName("x")]
    public IReadOnlyList<double> Thresholds => _thresholds;

    /// <summary>The calibrated probability at each breakpoint, non-decreasing.</summary>
    [JsonPropertyName("y")]
    public IReadOnlyList<double> Values => _values;

    /// <summary>
    /// Fits by pool-adjacent-violators. Rows with equal margins are first pooled into one point weighted by their count,
    /// whose value is their positive rate; adjacent blocks whose rates decrease are then merged (weighted by size)
    /// until the rates are non-decreasing. Each block becomes a breakpoint at its lowest and its highest margin, and
    /// breakpoints inside a run of equal values are dropped. Applied to a training margin, the fit gives exactly the
    /// positive rate of that margin's block.
    /// </summary>
    /// <param name="rawScores">The model's raw margins on held-out rows, all finite.</param>
    /// <param name="labels">The rows' labels, both classes present.</param>
    public static IsotonicCalibration Fit(ReadOnlySpan<double> rawScores, ReadOnlySpan<bool> labels)
    {
        ValidateFitInput(rawScores, labels);
        var keys = rawScores.ToArray();
        var positive = labels.ToArray();
        Array.Sort(keys, positive);

        // Blocks as a stack; counts are integers, so the rates compare exactly by cross-multiplication.
        var blocks = new List<Block>();
        for (var i = 0; i < keys.Length;)
        {
            var block = new Block(keys[i], keys[i], 0, 0);
            for (; i < keys.Length && keys[i] == block.Low; i++)
                block = block with { Positives = block.Positives + (positive[i] ? 1 : 0), Count = block.Count + 1 };
            while (blocks.Count > 0 && blocks[^1].Positives * block.Count > block.Positives * blocks[^1].Count)
            {
                var previous = blocks[^1];
                blocks.RemoveAt(blocks.Count - 1);
                block = new Block(previous.Low, block.High, previous.Positives + block.Positives, previous.Count + block.Count);
            }

            blocks.Add(block);
        }

        var thresholds = new List<double>(2 * blocks.Count);
        var values = new List<double>(2 * blocks.Count);
        void Add(double x, double y)
        {
            // A point between two of the same value adds nothing to the interpolation.
            if (values.Count >= 2 && values[^1] == y && values[^2] == y)
            {
                thresholds[^1] = x;
                return;
            }

            thresholds.Add(x);
            values.Add(y);
        }

        foreach (var block in blocks)
        {
            var rate = (double)block.Positives / block.Count;
            Add(block.Low, rate);
            if (block.High != block.Low)
                Add(block.High, rate);
        }

        return new IsotonicCalibration(thresholds, values);
    }

    /// <inheritdoc />
    public override double Apply(double rawScore)
    {
        if (double.IsNaN(rawScore))
            return double.NaN;
        var x = _thresholds;
        var y = _values;
        if (rawScore <= x[0])
            return y[0];
        if (rawScore >= x[^1])
            return y[^1];
        // The segment [x[lo], x[lo + 1]) holding the score: x[lo] <= score < x[hi], hi = lo + 1.
        int lo = 0, hi = x.Length - 1;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >>> 1;
            if (x[mid] <= rawScore)
                lo = mid;
            else
                hi = mid;
        }

        var t = (rawScore - x[lo]) / (x[hi] - x[lo]);
        // Clamped to the segment's values so that rounding can never break monotonicity across breakpoints.
        return Math.Min(y[lo] + ((y[hi] - y[lo]) * t), y[hi]);
    }

    /// <inheritdoc />
    public bool Equals(IsotonicCalibration? other) =>
        other is not null && _thresholds.AsSpan().SequenceEqual(other._thresholds) && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var x in _thresholds)
            hash.Add(x);
        foreach (var y in _values)
            hash.Add(y);
        return hash.ToHashCode();
    }

    /// <summary>A pooled run of margins from <c>Low</c> to <c>High</c> with its label counts.</summary>
    private readonly record struct Block(double Low, double High, long Positives, long Count);
}
