namespace Amlfs.Learning.Anomaly;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator: a fixed, documented sequence for each seed, so that a forest grown
/// from a seed is the same on every runtime and version, whatever System.Random does.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), on the 2^-53 grid.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="bound"/>), without modulo bias (the draws of the short last lap are redrawn).</summary>
    public int NextInt(int bound)
    {
        var n = (ulong)bound;
        var limit = ulong.MaxValue - (ulong.MaxValue % n);
        ulong draw;
        do
        {
            draw = NextUInt64();
        }
        while (draw >= limit);
        return (int)(draw % n);
    }
}
