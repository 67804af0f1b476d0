namespace Amlfs.Cli.Evaluation;

/// <summary>One scorer the report compares: its name, its scores, its colour in every plot, and whether the HIGH and
/// MEDIUM thresholds apply to its scores.</summary>
internal sealed record ReportScorer(string Name, double[] Scores, string Color, bool HasLevels);
