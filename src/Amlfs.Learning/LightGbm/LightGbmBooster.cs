using System.Text;

namespace Amlfs.Learning.LightGbm;

/// <summary>
/// A LightGBM booster: trained one iteration at a time on a <see cref="LightGbmDataset"/>, or loaded from model text.
/// Not thread-safe while training; predictions through <see cref="PredictForMatrix"/> may run concurrently, and each
/// thread of single-row predictions needs its own <see cref="LightGbmSingleRowPredictor"/>.
/// </summary>
public sealed class LightGbmBooster : IDisposable
{
    private int _validationSets;

    private LightGbmBooster(BoosterSafeHandle handle)
    {
        Handle = handle;
        LightGbmNative.Check(LightGbmNative.BoosterGetNumFeature(handle, out var features));
        FeatureCount = features;
    }

    /// <summary>The number of feature columns the model was trained on.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of boosting iterations the booster holds.</summary>
    public int CurrentIteration
    {
        get
        {
            LightGbmNative.Check(LightGbmNative.BoosterGetCurrentIteration(Handle, out var iteration));
            return iteration;
        }
    }

    internal BoosterSafeHandle Handle { get; }

    /// <summary>Creates a booster for <paramref name="train"/> with LightGBM parameters (<c>key=value</c> separated by spaces).</summary>
    public static LightGbmBooster Create(LightGbmDataset train, string parameters)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(parameters);
        var result = LightGbmNative.BoosterCreate(train.Handle, parameters, out var handle);
        ThrowOnFailure(result, handle);
        handle.KeepAlive(train.Handle);
        return new LightGbmBooster(handle);
    }

    /// <summary>Loads a booster from LightGBM model text, as <see cref="SaveModelToString"/> writes it.</summary>
    public static LightGbmBooster LoadModelFromString(string modelText)
    {
        ArgumentNullException.ThrowIfNull(modelText);
        var result = LightGbmNative.BoosterLoadModelFromString(modelText, out _, out var handle);
        ThrowOnFailure(result, handle);
        return new LightGbmBooster(handle);
    }

    /// <summary>
    /// Adds a validation set, built against the training set; its predictions are kept up to date at every iteration
    /// under the data index returned (1 for the first validation set, 0 being the training set).
    /// </summary>
    public int AddValidation(LightGbmDataset validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        LightGbmNative.Check(LightGbmNative.BoosterAddValidData(Handle, validation.Handle));
        Handle.KeepAlive(validation.Handle);
        return ++_validationSets;
    }

    /// <summary>Runs one boosting iteration; true when no tree could be split further and training is finished.</summary>
    public bool UpdateOneIteration()
    {
        LightGbmNative.Check(LightGbmNative.BoosterUpdateOneIter(Handle, out var finished));
        return finished != 0;
    }

    /// <summary>The number of values <see cref="GetPredictions"/> writes for a data index.</summary>
    public int GetPredictionCount(int dataIndex)
    {
        LightGbmNative.Check(LightGbmNative.BoosterGetNumPredict(Handle, dataIndex, out var count));
        return checked((int)count);
    }

    /// <summary>
    /// Writes the current predictions (the objective's output, a probability for <c>binary</c>) for the training set
    /// (data index 0) or a validation set, one per row, and returns how many it wrote.
    /// </summary>
    public unsafe int GetPredictions(int dataIndex, Span<double> output)
    {
        var count = GetPredictionCount(dataIndex);
        if (output.Length < count)
        {
            throw new ArgumentException($"Data index {dataIndex} has {count} predictions; the output holds {output.Length}.", nameof(output));
        }

        fixed (double* first = output)
        {
            LightGbmNative.Check(LightGbmNative.BoosterGetPredict(Handle, dataIndex, out var written, first));
            return checked((int)written);
        }
    }

    /// <summary>
    /// The model as LightGBM's text format, with the first <paramref name="iterations"/> iterations (all of them when
    /// zero or negative): saving at the best iteration drops the trees grown after it.
    /// </summary>
    public unsafe string SaveModelToString(int iterations = -1)
    {
        // The first call, with no buffer, only measures; the length counts the terminating NUL.
        LightGbmNative.Check(LightGbmNative.BoosterSaveModelToString(
            Handle, 0, iterations, LightGbmNative.FeatureImportanceSplit, 0, out var length, null));
        var buffer = new byte[length];
        fixed (byte* first = buffer)
        {
            LightGbmNative.Check(LightGbmNative.BoosterSaveModelToString(
                Handle, 0, iterations, LightGbmNative.FeatureImportanceSplit, length, out length, first));
        }

        return Encoding.UTF8.GetString(buffer, 0, (int)length - 1);
    }

    /// <summary>
    /// Predicts a row-major matrix (<c>LGBM_BoosterPredictForMat</c>): one value per row, or
    /// <c>columns + 1</c> for <see cref="LightGbmPredictionKind.Contributions"/>, and one per tree for leaf indexes.
    /// </summary>
    /// <param name="rowMajor">Rows one after another, <see cref="FeatureCount"/> values each; NaN is missing.</param>
    /// <param name="kind">What to predict.</param>
    /// <param name="iterations">The iterations to use from the first; all when zero or negative.</param>
    /// <param name="parameters">Prediction parameters such as <c>num_threads=1</c>.</param>
    public unsafe double[] PredictForMatrix(ReadOnlySpan<double> rowMajor, LightGbmPredictionKind kind, int iterations = -1, string parameters = "")
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (rowMajor.Length == 0 || rowMajor.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"A matrix of {FeatureCount} columns needs a positive multiple of {FeatureCount} values, not {rowMajor.Length}.", nameof(rowMajor));
        }

        var rows = rowMajor.Length / FeatureCount;
        LightGbmNative.Check(LightGbmNative.BoosterCalcNumPredict(Handle, rows, (int)kind, 0, iterations, out var count));
        var output = new double[count];
        fixed (double* data = rowMajor)
        fixed (double* first = output)
        {
            LightGbmNative.Check(LightGbmNative.BoosterPredictForMat(
                Handle, data, LightGbmNative.DTypeFloat64, rows, FeatureCount, LightGbmNative.RowMajor, (int)kind,
                0, iterations, parameters, out _, first));
        }

        return output;
    }

    /// <summary>
    /// A single-row predictor with its configuration parsed once
    /// (<c>LGBM_BoosterPredictForMatSingleRowFastInit</c>); one per thread.
    /// </summary>
    public LightGbmSingleRowPredictor CreateSingleRowPredictor(LightGbmPredictionKind kind, int iterations = -1, string parameters = "")
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var outputLength = kind switch
        {
            LightGbmPredictionKind.Contributions => FeatureCount + 1,
            LightGbmPredictionKind.LeafIndex => CalculateLeafIndexCount(iterations),
            _ => 1,
        };
        LightGbmNative.Check(LightGbmNative.BoosterPredictForMatSingleRowFastInit(
            Handle, (int)kind, 0, iterations, LightGbmNative.DTypeFloat64, FeatureCount, parameters, out var fastConfig));
        return new LightGbmSingleRowPredictor(new FastConfigSafeHandle(Handle, fastConfig), FeatureCount, outputLength);
    }

    public void Dispose() => Handle.Dispose();

    private static void ThrowOnFailure(int result, BoosterSafeHandle handle)
    {
        if (result != 0)
        {
            var message = LightGbmNative.LastError();
            handle.Dispose();
            throw new LightGbmException(message);
        }
    }

    private int CalculateLeafIndexCount(int iterations)
    {
        LightGbmNative.Check(LightGbmNative.BoosterCalcNumPredict(Handle, 1, (int)LightGbmPredictionKind.LeafIndex, 0, iterations, out var count));
        return checked((int)count);
    }
}
