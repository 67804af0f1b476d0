namespace Amlfs.Engine;

/// <summary>
/// Exact aggregates of a set of events: count, integer sums of cents and of squared cents, extremes and times. Adding
/// and merging are exact, so a window built from tiles and events equals the window built from events alone.
/// </summary>
internal struct WindowAggregate
{
    public long Count;
    public long Sum;
    public Int128 SumOfSquares;
    public long Min;
    public long Max;
    public long First;
    public long Last;

    public void Add(long timeMs, long amountCents)
    {
        if (Count == 0)
        {
            Min = Max = amountCents;
            First = Last = timeMs;
        }
        else
        {
            if (amountCents < Min)
                Min = amountCents;
            if (amountCents > Max)
                Max = amountCents;
            if (timeMs < First)
                First = timeMs;
            if (timeMs > Last)
                Last = timeMs;
        }

        Count++;
        Sum += amountCents;
        SumOfSquares += (Int128)amountCents * amountCents;
    }

    /// <summary>Adds only to the count and the sum, for ranges whose features read nothing else.</summary>
    public void AddCountAndSum(long amountCents)
    {
        Count++;
        Sum += amountCents;
    }

    public void Merge(in WindowAggregate other)
    {
        if (other.Count == 0)
            return;
        if (Count == 0)
        {
            this = other;
            return;
        }

        Count += other.Count;
        Sum += other.Sum;
        SumOfSquares += other.SumOfSquares;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        First = Math.Min(First, other.First);
        Last = Math.Max(Last, other.Last);
    }
}
