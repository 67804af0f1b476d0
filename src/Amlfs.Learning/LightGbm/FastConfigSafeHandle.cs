using Microsoft.Win32.SafeHandles;

namespace Amlfs.Learning.LightGbm;

/// <summary>
/// A LightGBM <c>FastConfigHandle</c> for single-row predictions, freed with <c>LGBM_FastConfigFree</c>. It points into
/// its booster, so it holds a reference on the booster's handle until it is freed.
/// </summary>
internal sealed class FastConfigSafeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly BoosterSafeHandle _booster;

    internal FastConfigSafeHandle(BoosterSafeHandle booster, nint fastConfig)
        : base(ownsHandle: true)
    {
        var added = false;
        booster.DangerousAddRef(ref added);
        _booster = booster;
        SetHandle(fastConfig);
    }

    protected override bool ReleaseHandle()
    {
        var freed = LightGbmNative.FastConfigFree(handle) == 0;
        _booster.DangerousRelease();
        return freed;
    }
}
