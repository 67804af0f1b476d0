namespace Amlfs.Learning.Drift;

/// <summary>
/// What drift is measured against, stored with a model version (<c>reference.json</c>): the distribution of each of the
/// model's inputs over its training rows and of its score over rows it did not learn from, each as quantile bins with
/// their shares (<see cref="ReferenceBins"/>).
/// </summary>
public sealed record ReferenceDistribution
{
    /// <summary>Bins asked for per variable before equal quantiles collapse: deciles.</summary>
    public const int DefaultBins = 10;

    /// <summary>The name the score's bins carry.</summary>
    public const string ScoreName = "score";

    /// <summary>Bins asked for per variable; a variable with few distinct values has fewer.</summary>
    public required int Bins { get; init; }

    /// <summary>Rows the inputs' distributions were taken from.</summary>
    public required long InputRows { get; init; }

    /// <summary>Rows the score's distribution was taken from.</summary>
    public required long ScoreRows { get; init; }

    /// <summary>One per model input, in the model's order.</summary>
    public required IReadOnlyList<ReferenceBins> Inputs { get; init; }

    /// <summary>The risk score, as the served model gives it.</summary>
    public required ReferenceBins Score { get; init; }

    /// <summary>
    /// The reference of a model over inputs <paramref name="inputs"/>: each input's bins from <paramref name="rows"/>
    /// (row-major, one column per input, NaN missing) and the score's from <paramref name="scores"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The rows do not divide into the inputs, or there are no rows or scores.</exception>
    public static ReferenceDistribution Fit(IReadOnlyList<string> inputs, ReadOnlySpan<double> rows, ReadOnlySpan<double> scores, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var width = inputs.Count;
        if (width == 0 || rows.Length == 0 || rows.Length % width != 0)
            throw new ArgumentException($"{rows.Length} values are not rows of {width} inputs", nameof(rows));
        var count = rows.Length / width;
        var column = new double[count];
        var fitted = new ReferenceBins[width];
        for (var c = 0; c < width; c++)
        {
            for (var r = 0; r < count; r++)
                column[r] = rows[(r * width) + c];
            fitted[c] = ReferenceBins.Fit(inputs[c], column, bins);
        }

        return new ReferenceDistribution
        {
            Bins = bins,
            InputRows = count,
            ScoreRows = scores.Length,
            Inputs = fitted,
            Score = ReferenceBins.Fit(ScoreName, scores, bins),
        };
    }

    /// <summary>
    /// The problem with this reference as one of a model reading <paramref name="inputs"/> (other inputs, or bins that
    /// do not hold together), or null when there is none.
    /// </summary>
    public string? ProblemFor(IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!Inputs.Select(i => i.Name).SequenceEqual(inputs, StringComparer.Ordinal))
            return $"its inputs ({string.Join(", ", Inputs.Select(i => i.Name))}) are not the model's ({string.Join(", ", inputs)})";
        var bad = Inputs.Append(Score).FirstOrDefault(b => !b.IsWellFormed());
        return bad is null ? null : $"the bins of {bad.Name} do not ascend or do not have one share each";
    }
}
