using System.Runtime.InteropServices;

namespace Amlfs.Learning.LightGbm;

/// <summary>
/// A LightGBM dataset built from a dense row-major matrix (<c>LGBM_DatasetCreateFromMat</c>): the features binned by
/// LightGBM, with labels and optional weights. A validation set is built against its training set so that both share
/// the training set's bins.
/// </summary>
public sealed class LightGbmDataset : IDisposable
{
    private LightGbmDataset(DatasetSafeHandle handle, int rows, int columns)
    {
        Handle = handle;
        Rows = rows;
        Columns = columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    internal DatasetSafeHandle Handle { get; }

    /// <summary>Bins a row-major matrix of <paramref name="columns"/> columns; NaN is a missing value.</summary>
    /// <param name="rowMajor">Rows one after another, <paramref name="columns"/> values each.</param>
    /// <param name="columns">The number of features.</param>
    /// <param name="parameters">LightGBM parameters (<c>key=value</c> separated by spaces); the dataset ones apply.</param>
    /// <param name="reference">The training set whose bins a validation set uses, or null for a training set.</param>
    public static unsafe LightGbmDataset FromMatrix(ReadOnlySpan<double> rowMajor, int columns, string parameters, LightGbmDataset? reference = null)
    {
        var rows = RowCount(rowMajor.Length, columns);
        fixed (double* data = rowMajor)
        {
            return Create(data, LightGbmNative.DTypeFloat64, rows, columns, parameters, reference);
        }
    }

    /// <inheritdoc cref="FromMatrix(ReadOnlySpan{double}, int, string, LightGbmDataset?)"/>
    public static unsafe LightGbmDataset FromMatrix(ReadOnlySpan<float> rowMajor, int columns, string parameters, LightGbmDataset? reference = null)
    {
        var rows = RowCount(rowMajor.Length, columns);
        fixed (float* data = rowMajor)
        {
            return Create(data, LightGbmNative.DTypeFloat32, rows, columns, parameters, reference);
        }
    }

    /// <summary>Sets the label of every row (0 or 1 for a binary objective).</summary>
    public void SetLabels(ReadOnlySpan<float> labels) => SetField("label", labels);

    /// <summary>Sets the weight of every row.</summary>
    public void SetWeights(ReadOnlySpan<float> weights) => SetField("weight", weights);

    /// <summary>Names the columns; the names are written into the model text (<c>feature_names</c>).</summary>
    public unsafe void SetFeatureNames(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != Columns)
        {
            throw new ArgumentException($"{names.Count} feature names for {Columns} columns.", nameof(names));
        }

        var pointers = new nint[names.Count];
        try
        {
            for (var i = 0; i < names.Count; i++)
            {
                pointers[i] = Marshal.StringToCoTaskMemUTF8(names[i]);
            }

            fixed (nint* first = pointers)
            {
                LightGbmNative.Check(LightGbmNative.DatasetSetFeatureNames(Handle, (byte**)first, names.Count));
            }
        }
        finally
        {
            foreach (var pointer in pointers)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    public void Dispose() => Handle.Dispose();

    private static int RowCount(int length, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (length == 0 || length % columns != 0)
        {
            throw new ArgumentException($"A matrix of {columns} columns needs a positive multiple of {columns} values, not {length}.");
        }

        return length / columns;
    }

    private static unsafe LightGbmDataset Create(void* data, int dataType, int rows, int columns, string parameters, LightGbmDataset? reference)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (reference is not null && reference.Columns != columns)
        {
            throw new ArgumentException($"The reference dataset has {reference.Columns} columns, this matrix {columns}.", nameof(reference));
        }

        var added = false;
        try
        {
            reference?.Handle.DangerousAddRef(ref added);
            var referenceHandle = reference is null ? 0 : reference.Handle.DangerousGetHandle();
            var result = LightGbmNative.DatasetCreateFromMat(
                data, dataType, rows, columns, LightGbmNative.RowMajor, parameters, referenceHandle, out var handle);
            if (result != 0)
            {
                var message = LightGbmNative.LastError();
                handle.Dispose();
                throw new LightGbmException(message);
            }

            return new LightGbmDataset(handle, rows, columns);
        }
        finally
        {
            if (added)
            {
                reference!.Handle.DangerousRelease();
            }
        }
    }

    private unsafe void SetField(string name, ReadOnlySpan<float> values)
    {
        if (values.Length != Rows)
        {
            throw new ArgumentException($"{values.Length} values of {name} for {Rows} rows.", nameof(values));
        }

        fixed (float* data = values)
        {
            LightGbmNative.Check(LightGbmNative.DatasetSetField(Handle, name, data, values.Length, LightGbmNative.DTypeFloat32));
        }
    }
}
