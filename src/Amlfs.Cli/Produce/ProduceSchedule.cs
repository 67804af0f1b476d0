namespace Amlfs.Cli.Produce;

/// <summary>
/// When each generated transaction is due: transaction i at <c>start + i / rate</c>. Within a duration d only those
/// with i / rate &lt; d are; past the end everything due within it still is, so a slow sink delays transactions
/// rather than dropping them. Shared by the HTTP and the Kafka producers.
/// </summary>
internal sealed class ProduceSchedule(ProduceOptions options, DateTimeOffset start)
{
    private readonly DateTimeOffset _end = options.Duration is { } duration ? start + duration : DateTimeOffset.MaxValue;

    /// <summary>How many transactions the run sends: the count, or those due within the duration, whichever is fewer.</summary>
    public long Limit { get; } = options.Duration is { } d
        ? Math.Min(options.Count ?? long.MaxValue, (long)Math.Ceiling(d.TotalSeconds * options.Rate))
        : options.Count ?? long.MaxValue;

    /// <summary>How many transactions are due by <paramref name="now"/>.</summary>
    public long Due(DateTimeOffset now) =>
        now >= _end ? Limit : Math.Min(Limit, (long)Math.Floor((now - start).TotalSeconds * options.Rate) + 1);

    /// <summary>How long to wait at <paramref name="now"/> for transaction number <paramref name="drawn"/> to be due.</summary>
    public TimeSpan WaitFor(long drawn, DateTimeOffset now) => start + TimeSpan.FromSeconds(drawn / options.Rate) - now;
}
