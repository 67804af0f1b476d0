using System.Runtime.InteropServices;

namespace Amlfs.Learning.LightGbm;

/// <summary>
/// The part of LightGBM's C API (<c>c_api.h</c>) this project calls. Every function returns 0 on success and -1 on
/// failure, with the reason in <see cref="LastError"/>, which is kept per thread: <see cref="Check"/> reads it on the
/// calling thread right after the failed call.
/// </summary>
internal static unsafe partial class LightGbmNative
{
    private const string Library = "lib_lightgbm";

    internal const int DTypeFloat32 = 0;
    internal const int DTypeFloat64 = 1;

    internal const int RowMajor = 1;

    /// <summary>The feature importance written into saved model text: split counts.</summary>
    internal const int FeatureImportanceSplit = 0;

    internal static void Check(int result)
    {
        if (result != 0)
        {
            throw new LightGbmException(LastError());
        }
    }

    internal static string LastError() => Marshal.PtrToStringUTF8(GetLastError()) ?? "LightGBM reported an error without a message";

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    private static partial nint GetLastError();

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DatasetCreateFromMat(
        void* data, int dataType, int rows, int columns, int isRowMajor, string parameters, nint reference, out DatasetSafeHandle dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DatasetSetField(DatasetSafeHandle dataset, string fieldName, void* data, int count, int dataType);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetFeatureNames")]
    internal static partial int DatasetSetFeatureNames(DatasetSafeHandle dataset, byte** names, int count);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    internal static partial int DatasetFree(nint dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterCreate(DatasetSafeHandle train, string parameters, out BoosterSafeHandle booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterLoadModelFromString", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterLoadModelFromString(string modelText, out int iterations, out BoosterSafeHandle booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    internal static partial int BoosterFree(nint booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterAddValidData")]
    internal static partial int BoosterAddValidData(BoosterSafeHandle booster, DatasetSafeHandle validation);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    internal static partial int BoosterUpdateOneIter(BoosterSafeHandle booster, out int isFinished);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetCurrentIteration")]
    internal static partial int BoosterGetCurrentIteration(BoosterSafeHandle booster, out int iteration);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetNumFeature")]
    internal static partial int BoosterGetNumFeature(BoosterSafeHandle booster, out int count);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetNumPredict")]
    internal static partial int BoosterGetNumPredict(BoosterSafeHandle booster, int dataIndex, out long count);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetPredict")]
    internal static partial int BoosterGetPredict(BoosterSafeHandle booster, int dataIndex, out long written, double* output);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterSaveModelToString")]
    internal static partial int BoosterSaveModelToString(
        BoosterSafeHandle booster, int startIteration, int iterations, int featureImportanceType, long bufferLength, out long length, byte* output);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCalcNumPredict")]
    internal static partial int BoosterCalcNumPredict(
        BoosterSafeHandle booster, int rows, int predictType, int startIteration, int iterations, out long count);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMat", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterPredictForMat(
        BoosterSafeHandle booster, void* data, int dataType, int rows, int columns, int isRowMajor, int predictType,
        int startIteration, int iterations, string parameters, out long written, double* output);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMatSingleRowFastInit", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterPredictForMatSingleRowFastInit(
        BoosterSafeHandle booster, int predictType, int startIteration, int iterations, int dataType, int columns,
        string parameters, out nint fastConfig);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMatSingleRowFast")]
    internal static partial int BoosterPredictForMatSingleRowFast(FastConfigSafeHandle fastConfig, void* data, out long written, double* output);

    [LibraryImport(Library, EntryPoint = "LGBM_FastConfigFree")]
    internal static partial int FastConfigFree(nint fastConfig);
}
