namespace Amlfs.Cli.LoadTest;

/// <summary>
/// When the dashboard's stream clients are open during a load test, in clock ticks: from <see cref="Start"/> to the
/// end; or, with a <see cref="Cycle"/>, open for a cycle, closed for the next, and so on from <see cref="Start"/>, so
/// that the phases with and without the streams alternate through the run and whatever else loads the machine weighs
/// on both alike.
/// </summary>
/// <param name="Start">When the streams first open.</param>
/// <param name="Cycle">How long they stay open, then closed, in turn; 0 keeps them open once opened.</param>
internal readonly record struct StreamWindows(long Start, long Cycle)
{
    /// <summary>Whether the streams are open at <paramref name="time"/>.</summary>
    public bool IsOpen(long time) => time >= Start && (Cycle == 0 || (time - Start) / Cycle % 2 == 0);

    /// <summary>The ticks of [<paramref name="from"/>, <paramref name="to"/>) during which the streams are open.</summary>
    public long OpenTicks(long from, long to)
    {
        if (Cycle == 0)
            return Math.Max(0, to - Math.Max(from, Start));
        long open = 0;
        for (var window = Start; window < to; window += 2 * Cycle)
            open += Math.Max(0, Math.Min(to, window + Cycle) - Math.Max(from, window));
        return open;
    }

    /// <summary>The windows in which the streams are open, up to <paramref name="end"/>, in order.</summary>
    public IEnumerable<(long Open, long Close)> Until(long end)
    {
        if (Cycle == 0)
        {
            if (Start < end)
                yield return (Start, end);
            yield break;
        }

        for (var window = Start; window < end; window += 2 * Cycle)
            yield return (window, Math.Min(window + Cycle, end));
    }
}
