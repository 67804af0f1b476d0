using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Amlfs.Learning.LightGbm;

/// <summary>
/// A LightGBM <c>BoosterHandle</c>, freed with <c>LGBM_BoosterFree</c>. The native booster keeps pointers to its
/// training and validation datasets, so it holds a reference on their handles until it is freed itself: disposing a
/// dataset first only defers that dataset's release.
/// </summary>
internal sealed class BoosterSafeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly List<SafeHandle> _datasets = [];

    public BoosterSafeHandle()
        : base(ownsHandle: true)
    {
    }

    internal void KeepAlive(SafeHandle dataset)
    {
        var added = false;
        dataset.DangerousAddRef(ref added);
        _datasets.Add(dataset);
    }

    protected override bool ReleaseHandle()
    {
        var freed = LightGbmNative.BoosterFree(handle) == 0;
        foreach (var dataset in _datasets)
        {
            dataset.DangerousRelease();
        }

        return freed;
    }
}
