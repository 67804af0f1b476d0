using Amlfs.OfflineStore;

namespace Amlfs.Synthetic;

/// <summary>
/// Generates a realistic, labelled transaction history: customers with habits (home IPs, habitual merchants, a daily
/// rhythm in local time, log-normal amounts) and, on top, injected laundering typologies (<see cref="Typologies"/>).
/// Deterministic: the same <see cref="SyntheticOptions"/> give the same profiles and the same days, whatever the
/// order in which days are generated and however many threads generate them. Pure computation, no I/O.
/// </summary>
/// <example>
/// <code>
/// var generator = new SyntheticGenerator(new SyntheticOptions { Customers = 10_000, Days = 30, Seed = 7 });
/// foreach (var day in generator.GenerateDays(parallelism: Environment.ProcessorCount))
///     Write(day.Date, day.Transactions);
/// </code>
/// </example>
public sealed class SyntheticGenerator
{
    private readonly Population _population;
    private readonly DayGenerator _days;

    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SyntheticGenerator(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        Options = options;
        _population = Population.Build(options);
        _days = new DayGenerator(_population, options, options.ResolveTimeZone());
    }

    public SyntheticOptions Options { get; }

    /// <summary>The customers, in id order (index i has id <c>CUST_</c> i + 1).</summary>
    public IReadOnlyList<CustomerProfile> Customers => _population.Customers;

    /// <summary>The merchants, in id order (index i has id <c>MERCH_</c> i + 1).</summary>
    public IReadOnlyList<MerchantProfile> Merchants => _population.Merchants;

    /// <summary>The UTC date of day <paramref name="dayIndex"/>.</summary>
    public DateOnly DateOf(int dayIndex) => Options.Start.AddDays(dayIndex);

    /// <summary>Generates day <paramref name="dayIndex"/> (0 to Days - 1) alone. Safe to call from several threads.</summary>
    public DayBatch GenerateDay(int dayIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dayIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dayIndex, Options.Days);
        return _days.Generate(dayIndex);
    }

    /// <summary>
    /// Every day in date order. With <paramref name="parallelism"/> above 1, that many days are generated ahead on the
    /// thread pool while the caller consumes the current one, so at most parallelism + 1 days are in memory. The
    /// output is the same for every degree of parallelism.
    /// </summary>
    public IEnumerable<DayBatch> GenerateDays(int parallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        return parallelism == 1 ? Sequential() : Ahead(parallelism);
    }

    /// <summary>Every transaction in time order (by timestamp, then id), one day in memory per degree of parallelism.</summary>
    public IEnumerable<LabeledTransaction> Stream(int parallelism = 1)
    {
        foreach (var day in GenerateDays(parallelism))
        {
            foreach (var transaction in day.Transactions)
                yield return transaction;
        }
    }

    /// <summary>Every transaction of the history that <paramref name="options"/> describe, in time order.</summary>
    public static IEnumerable<LabeledTransaction> Stream(SyntheticOptions options, int parallelism = 1) =>
        new SyntheticGenerator(options).Stream(parallelism);

    private IEnumerable<DayBatch> Sequential()
    {
        for (var day = 0; day < Options.Days; day++)
            yield return _days.Generate(day);
    }

    private IEnumerable<DayBatch> Ahead(int parallelism)
    {
        var pending = new Queue<Task<DayBatch>>();
        var next = 0;
        try
        {
            while (next < Options.Days && pending.Count < parallelism)
                pending.Enqueue(Start(next++));
            while (pending.Count > 0)
            {
                var batch = pending.Dequeue().GetAwaiter().GetResult();
                if (next < Options.Days)
                    pending.Enqueue(Start(next++));
                yield return batch;
            }
        }
        finally
        {
            // A consumer that stops early must not leave days generating in the background. WaitAny waits without
            // rethrowing a day's failure, which must not replace the exception that may be stopping the consumer.
            foreach (var task in pending)
                Task.WaitAny(task);
        }
    }

    // A dedicated thread per day: the consumer blocks on the oldest day, and days must not wait for pool threads
    // that the consumer (or its own async I/O) holds.
    private Task<DayBatch> Start(int day) =>
        Task.Factory.StartNew(() => _days.Generate(day), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
