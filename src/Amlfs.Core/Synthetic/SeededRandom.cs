namespace Amlfs.Synthetic;

/// <summary>
/// xoshiro256** seeded through SplitMix64. The generator uses its own algorithm rather than <see cref="Random"/>, whose
/// seeded sequence is an implementation detail of the runtime, so that a seed names the same history everywhere.
/// Every unit of work (a customer's profile, a customer's day, one typology instance) gets its own generator from
/// <see cref="For"/>, which is why days can be generated in any order and on any number of threads.
/// A mutable struct: pass it by <c>ref</c>.
/// </summary>
internal struct SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    private SeededRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>The generator of one unit of work: the run's seed, what the stream is for, and its coordinates.</summary>
    public static SeededRandom For(long seed, RandomPurpose purpose, long a = 0, long b = 0)
    {
        var h = Mix((ulong)seed);
        h = Mix(h ^ Mix((ulong)purpose + 0x51_7C_C1_B7_27_22_0A_95UL));
        h = Mix(h ^ Mix((ulong)a + 0x2545_F491_4F6C_DD1DUL));
        h = Mix(h ^ Mix((ulong)b + 0x9E37_79B9_7F4A_7C15UL));
        return new SeededRandom(h);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>); the bias of the multiply-shift is below 2⁻³².</summary>
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>) for spans beyond int, such as milliseconds in a day.</summary>
    public long NextInt64(long maxExclusive) => (long)(((UInt128)NextUInt64() * (ulong)maxExclusive) >> 64);

    /// <summary>Uniform in [<see cref="ShapeRange{T}.Min"/>, <see cref="ShapeRange{T}.Max"/>], both included.</summary>
    public int Next(ShapeRange<int> range) => range.Min + Next(range.Max - range.Min + 1);

    /// <summary>Uniform in [<see cref="ShapeRange{T}.Min"/>, <see cref="ShapeRange{T}.Max"/>], both included.</summary>
    public long NextInt64(ShapeRange<long> range) => range.Min + NextInt64(range.Max - range.Min + 1);

    /// <summary>Uniform in [<see cref="ShapeRange{T}.Min"/>, <see cref="ShapeRange{T}.Max"/>).</summary>
    public double NextDouble(ShapeRange<double> range) => range.Min + NextDouble() * (range.Max - range.Min);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal (Box-Muller, one value per call).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Log-normal with the given median and standard deviation of the logarithm.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * NextGaussian());

    /// <summary>Log-uniform in [<paramref name="min"/>, <paramref name="max"/>): as many values per decade.</summary>
    public double LogUniform(double min, double max) => min * Math.Exp(NextDouble() * Math.Log(max / min));

    /// <summary>Poisson: Knuth's product method for small means, a rounded normal approximation for large ones.</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
            return 0;
        if (mean > 30)
            return (int)Math.Max(0, Math.Round(mean + Math.Sqrt(mean) * NextGaussian()));
        var limit = Math.Exp(-mean);
        var k = 0;
        var product = NextDouble();
        while (product > limit)
        {
            k++;
            product *= NextDouble();
        }

        return k;
    }

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
            total += w;
        var x = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
                return i;
        }

        return weights.Length - 1;
    }

    /// <summary>Index drawn from a running total of weights (ascending), by binary search.</summary>
    public int PickCumulative(ReadOnlySpan<double> cumulative)
    {
        var x = NextDouble() * cumulative[^1];
        var i = cumulative.BinarySearch(x);
        i = i < 0 ? ~i : i + 1; // first total above x
        return Math.Min(i, cumulative.Length - 1);
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E37_79B9_7F4A_7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
