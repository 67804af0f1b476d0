using Amlfs.Engine;

namespace Amlfs.Core.Tests.Engine;

public sealed class PrefaultTests
{
    [Fact]
    public void Populating_changes_no_element_of_any_array()
    {
        var longs = Enumerable.Range(0, 3_000_001).Select(i => (long)i * 7).ToArray();
        var strings = Enumerable.Range(0, 1_000_003).Select(i => i % 3 == 0 ? null : "s" + (i % 10)).ToArray();
        var wide = Enumerable.Range(0, 500_001).Select(i => (UInt128)i << 70).ToArray();
        var labels = Enumerable.Range(0, 70_001).Select(i => i % 3 == 0 ? (bool?)null : i % 2 == 0).ToArray();
        var (longsBefore, stringsBefore, wideBefore, labelsBefore) = (longs.ToArray(), strings.ToArray(), wide.ToArray(), labels.ToArray());

        Prefault.Populate(longs, parallelism: 2);
        Prefault.Populate(strings, parallelism: 2);
        Prefault.Populate(wide, parallelism: 1);
        Prefault.Populate(labels, parallelism: 2);
        Prefault.Populate(Array.Empty<int>(), parallelism: 2);

        Assert.Equal(longsBefore, longs);
        Assert.Equal(stringsBefore, strings);
        Assert.Equal(wideBefore, wide);
        Assert.Equal(labelsBefore, labels);
    }
}
