using Microsoft.Win32.SafeHandles;

namespace Amlfs.Learning.LightGbm;

/// <summary>A LightGBM <c>DatasetHandle</c>, freed with <c>LGBM_DatasetFree</c>.</summary>
internal sealed class DatasetSafeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DatasetSafeHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => LightGbmNative.DatasetFree(handle) == 0;
}
