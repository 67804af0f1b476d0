using Amlfs.Engine;

namespace Amlfs.Core.Tests.Engine;

public sealed class StableOrderTests
{
    [Fact]
    public void Rows_already_in_time_order_need_no_order()
    {
        Assert.Null(StableOrder.ByTime([1, 2, 2, 5]));
    }

    [Fact]
    public void Equal_times_keep_their_row_order()
    {
        long[] times = [5, 3, 5, 1, 3, 5, 3];

        Assert.Equal([3, 1, 4, 6, 0, 2, 5], StableOrder.ByTime(times)!);
    }

    [Fact]
    public void Equal_keys_follow_the_tie_break()
    {
        int[] order = [0, 1, 2, 3];
        string[] ids = ["d", "c", "b", "a"];

        StableOrder.Sort(order, [2, 1, 2, 1], Comparer<int>.Create((a, b) => string.CompareOrdinal(ids[a], ids[b])));

        Assert.Equal([3, 1, 2, 0], order);
    }
}
