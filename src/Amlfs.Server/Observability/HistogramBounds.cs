namespace Amlfs.Server.Observability;

/// <summary>The bucket bounds of the histograms <c>/metrics</c> exports, chosen for what each one measures.</summary>
internal static class HistogramBounds
{
    /// <summary>Request and online store durations: 50 us to 5 s, because this API answers in tens of microseconds when healthy.</summary>
    public static readonly double[] Latency =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    /// <summary>Scoring durations: 1 us to 10 ms (a model and its explanation take microseconds).</summary>
    public static readonly double[] Scoring =
        [0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.01];

    /// <summary>Graph searches: 1 us to 100 ms (a bounded search reads a few neighbours' states).</summary>
    public static readonly double[] GraphSearch =
        [0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.1];

    /// <summary>Risk scores in [0, 1]: tenths, with the tail split finer where alerts are decided.</summary>
    public static readonly double[] Score = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];
}
