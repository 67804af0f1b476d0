namespace Amlfs.Learning.LightGbm;

/// <summary>
/// LightGBM's single-row fast path (<c>LGBM_BoosterPredictForMatSingleRowFast</c>): the prediction configuration is
/// parsed once when created, and each call predicts one row of doubles. Not thread-safe: one per thread. It keeps
/// its booster alive until disposed.
/// </summary>
public sealed class LightGbmSingleRowPredictor : IDisposable
{
    private readonly FastConfigSafeHandle _handle;

    internal LightGbmSingleRowPredictor(FastConfigSafeHandle handle, int featureCount, int outputLength)
    {
        _handle = handle;
        FeatureCount = featureCount;
        OutputLength = outputLength;
    }

    public int FeatureCount { get; }

    /// <summary>The number of values one prediction writes: 1, or <c>FeatureCount + 1</c> for contributions.</summary>
    public int OutputLength { get; }

    /// <summary>Predicts one row of exactly <see cref="FeatureCount"/> values into <paramref name="output"/>.</summary>
    public unsafe void Predict(ReadOnlySpan<double> row, Span<double> output)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"The model takes {FeatureCount} features; the row has {row.Length}.", nameof(row));
        }

        if (output.Length < OutputLength)
        {
            throw new ArgumentException($"A prediction writes {OutputLength} values; the output holds {output.Length}.", nameof(output));
        }

        fixed (double* data = row)
        fixed (double* first = output)
        {
            LightGbmNative.Check(LightGbmNative.BoosterPredictForMatSingleRowFast(_handle, data, out _, first));
        }
    }

    public void Dispose() => _handle.Dispose();
}
