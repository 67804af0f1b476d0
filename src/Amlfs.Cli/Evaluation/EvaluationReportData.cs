namespace Amlfs.Cli.Evaluation;

/// <summary>
/// Everything an evaluation report shows, as plain values: the report computes its metrics and plots from these and
/// reads nothing else. Scores are one per evaluation row, in the order of <see cref="Labels"/>.
/// </summary>
internal sealed record EvaluationReportData
{
    /// <summary>The page's heading.</summary>
    public required string Title { get; init; }

    /// <summary>The evaluated model's version, for the metadata table.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>The rules model's version, for the metadata table and the column headings.</summary>
    public string RulesVersion { get; init; } = "rules";

    /// <summary>The time span of the evaluation rows, as text (e.g. <c>2024-03-01 to 2024-03-31</c>).</summary>
    public required string Period { get; init; }

    /// <summary>The model's calibrated probabilities, in [0, 1].</summary>
    public required double[] ModelScores { get; init; }

    /// <summary>The rules model's scores, in [0, 1], on the scale of the thresholds.</summary>
    public required double[] RulesScores { get; init; }

    /// <summary>The labels, <c>true</c> for a confirmed case; both classes must occur.</summary>
    public required bool[] Labels { get; init; }

    /// <summary>The HIGH level's threshold (a score at or above it is HIGH), applied to both models.</summary>
    public required double HighThreshold { get; init; }

    /// <summary>The MEDIUM level's threshold, at most <see cref="HighThreshold"/>, applied to both models.</summary>
    public required double MediumThreshold { get; init; }

    /// <summary>An unsupervised anomaly score per row (higher = more anomalous), or null to leave it out.</summary>
    public double[]? AnomalyScores { get; init; }

    /// <summary>The recall-by-typology table's rows; the section is left out when empty.</summary>
    public IReadOnlyList<TypologyRecall> TypologyRecalls { get; init; } = [];

    /// <summary>The model's feature names; the SHAP sections are left out when empty.</summary>
    public IReadOnlyList<string> FeatureNames { get; init; } = [];

    /// <summary>SHAP contributions, rows x <see cref="FeatureNames"/> row-major (rows need not be the scored rows).</summary>
    public double[] ShapValues { get; init; } = [];

    /// <summary>The feature values of the SHAP rows, same shape as <see cref="ShapValues"/>; NaN is missing.</summary>
    public double[] FeatureValues { get; init; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> unless the arrays agree in length and the thresholds make sense.</summary>
    public void Validate()
    {
        var rows = Labels.Length;
        if (ModelScores.Length != rows || RulesScores.Length != rows || (AnomalyScores is not null && AnomalyScores.Length != rows))
            throw new ArgumentException($"Every score array has one score per label ({rows}).");
        if (!Labels.Contains(true) || !Labels.Contains(false))
            throw new ArgumentException("An evaluation report needs both positive and negative labels.");
        if (ModelScores.Any(s => !(s is >= 0 and <= 1)) || RulesScores.Any(s => !(s is >= 0 and <= 1)))
            throw new ArgumentException("Model and rules scores are probabilities in [0, 1].");
        if (AnomalyScores is not null && AnomalyScores.Any(double.IsNaN))
            throw new ArgumentException("An anomaly score is NaN.");
        if (!(MediumThreshold is >= 0 and <= 1) || !(HighThreshold is >= 0 and <= 1) || MediumThreshold > HighThreshold)
            throw new ArgumentException($"The thresholds are in [0, 1] with MEDIUM ({MediumThreshold}) at most HIGH ({HighThreshold}).");
        var features = FeatureNames.Count;
        if (ShapValues.Length != FeatureValues.Length || (features == 0 ? ShapValues.Length != 0 : ShapValues.Length % features != 0))
            throw new ArgumentException($"SHAP values ({ShapValues.Length}) and feature values ({FeatureValues.Length}) are both rows x {features} features.");
    }
}
