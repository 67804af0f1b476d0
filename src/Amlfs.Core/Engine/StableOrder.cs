namespace Amlfs.Engine;

/// <summary>Orders rows by a time column with a defined order among equal times.</summary>
public static class StableOrder
{
    /// <summary>
    /// The row indices of <paramref name="times"/> in time order, ties in index order; null when the rows are in time
    /// order already, the common case for a history read day by day.
    /// </summary>
    public static int[]? ByTime(ReadOnlySpan<long> times)
    {
        if (IsSorted(times))
            return null;
        var order = new int[times.Length];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        Sort(order, times.ToArray(), Comparer<int>.Default);
        return order;
    }

    /// <summary>
    /// Sorts <paramref name="order"/> by <paramref name="keys"/> (<c>keys[k]</c> is the key of <c>order[k]</c>; both are
    /// sorted together), and within runs of equal keys by <paramref name="tie"/>. Sorted keys cost one pass plus the ties.
    /// </summary>
    public static void Sort(int[] order, long[] keys, IComparer<int> tie)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(tie);
        if (!IsSorted(keys))
            Array.Sort(keys, order);
        // Array.Sort is not stable: order each run of equal keys by the tie-break.
        for (var start = 0; start < keys.Length;)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
                end++;
            if (end - start > 1)
                Array.Sort(order, start, end - start, tie);
            start = end;
        }
    }

    private static bool IsSorted(ReadOnlySpan<long> keys)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            if (keys[i] < keys[i - 1])
                return false;
        }

        return true;
    }
}
