using Amlfs.Learning.Models;

namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>A model's figures on one period; null where the period had no positive (NaN in the manifest).</summary>
internal sealed record MetricsView(
    long Rows, long Positives, double? RocAuc, double? PrAuc, double? RecallAt1PctFpr, double? PrecisionAtHigh, double? RecallAtHigh,
    double? F1AtHigh, double? AlertRate, double? AnomalyPrAuc)
{
    public static MetricsView Of(ModelMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        static double? N(double v) => double.IsNaN(v) || double.IsInfinity(v) ? null : Math.Round(v, 4);
        return new MetricsView(
            m.Rows, m.Positives, N(m.RocAuc), N(m.PrAuc), N(m.RecallAt1PctFpr), N(m.PrecisionAtHigh), N(m.RecallAtHigh), N(m.F1AtHigh),
            N(m.AlertRate), m.AnomalyPrAuc is { } a ? N(a) : null);
    }
}
