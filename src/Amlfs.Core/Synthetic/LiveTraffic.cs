using System.Globalization;
using System.Security.Cryptography;
using Amlfs.OfflineStore;
using Amlfs.Transactions;

namespace Amlfs.Synthetic;

/// <summary>
/// Realistic transactions for a live system: the <see cref="SyntheticGenerator"/>'s history, day after day (starting
/// over after the last day), re-timed to the wall clock. Each transaction keeps the generator's customer, merchant,
/// amount, IP address, channel, device and label, and gets a fresh id and the current time of the injected clock, so a
/// producer that restarts never repeats an id and a server never sees an event from the past or the future.
/// Deterministic for a seed apart from the ids' run prefix and the timestamps. Pure computation, no I/O; not
/// thread-safe (one instance per producing thread).
/// </summary>
/// <example>
/// <code>
/// var traffic = new LiveTraffic(new SyntheticOptions { Seed = 7 }, TimeProvider.System);
/// var transaction = traffic.Next().Transaction;
/// var burst = traffic.Burst("CUST_000001", 30);
/// </code>
/// </example>
public sealed class LiveTraffic
{
    /// <summary>Time between two transactions of a burst; a script paces itself this fast.</summary>
    public static readonly TimeSpan BurstSpacing = TimeSpan.FromMilliseconds(5);

    private const int CounterDigits = 9;
    private const string RunIdAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private readonly SyntheticGenerator _generator;
    private readonly TimeProvider _clock;
    private IReadOnlyList<LabeledTransaction> _day = [];
    private int _dayIndex = -1;
    private int _position;
    private long _issued;
    private long _bursts;

    /// <param name="options">The population and the typology rates; the same options give the same sequence.</param>
    /// <param name="clock">Stamps every transaction with its current time.</param>
    /// <param name="runId">
    /// The prefix of every transaction id. By default the clock's current time to the millisecond and four random
    /// characters, so that two runs, even started in the same millisecond, do not collide.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid, or <paramref name="runId"/> is empty or too long.</exception>
    public LiveTraffic(SyntheticOptions options, TimeProvider clock, string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _generator = new SyntheticGenerator(options);
        _clock = clock;
        RunId = runId ?? NewRunId(clock);
        if (RunId.Length == 0 || RunId.Length + 1 + CounterDigits > TransactionValidator.MaxIdLength)
            throw new ArgumentException($"a run id must have 1 to {TransactionValidator.MaxIdLength - 1 - CounterDigits} characters", nameof(runId));
    }

    /// <summary>The prefix of every transaction id of this instance.</summary>
    public string RunId { get; }

    /// <summary>How many transactions this instance has issued, bursts included.</summary>
    public long Issued => _issued;

    /// <summary>The customers transactions are drawn from, in id order.</summary>
    public IReadOnlyList<CustomerProfile> Customers => _generator.Customers;

    /// <summary>The next transaction of the history, with a fresh id and the clock's current time.</summary>
    /// <exception cref="InvalidOperationException">The options generate no transaction at all.</exception>
    public LabeledTransaction Next()
    {
        var emptyDays = 0;
        while (_position >= _day.Count)
        {
            if (emptyDays++ > _generator.Options.Days)
                throw new InvalidOperationException("the synthetic options generate no transactions");
            _dayIndex = (_dayIndex + 1) % _generator.Options.Days;
            _day = _generator.GenerateDay(_dayIndex).Transactions;
            _position = 0;
        }

        var source = _day[_position++];
        var transaction = source.Transaction with { TransactionId = NextId(), TimestampMs = NowMs() };
        return source with { Transaction = transaction };
    }

    /// <summary>
    /// A burst of card testing by one customer: <paramref name="size"/> small payments (R$ 1 to R$ 50) by card at
    /// distinct merchants (as far as there are merchants), from three or four IP addresses, the last at the clock's
    /// current time and the others <see cref="BurstSpacing"/> apart before it, so none is in the future. Labelled
    /// <see cref="Typologies.Burst"/>. A customer of the population keeps its device and country; another id gets
    /// generated ones.
    /// </summary>
    public IReadOnlyList<LabeledTransaction> Burst(string customerId, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);

        var rng = SeededRandom.For(_generator.Options.Seed, RandomPurpose.LiveBurst, _bursts++);
        var profile = _generator.Customers.FirstOrDefault(c => c.CustomerId == customerId);
        var ips = new List<string> { profile is null ? IpAddresses.Brazilian(ref rng) : profile.HomeIps[rng.Next(profile.HomeIps.Count)] };
        var ipCount = rng.Next(3, 5);
        while (ips.Count < ipCount)
        {
            var ip = IpAddresses.Mobile(ref rng);
            if (!ips.Contains(ip))
                ips.Add(ip);
        }

        var device = profile?.DeviceId ?? Population.NewDevice(ref rng);
        var country = profile?.Country ?? "BR";
        var merchants = DistinctMerchants(ref rng, size);
        var last = NowMs();
        var spacing = (long)BurstSpacing.TotalMilliseconds;
        var burst = new LabeledTransaction[size];
        for (var i = 0; i < size; i++)
        {
            var transaction = new Transaction
            {
                TransactionId = NextId(),
                CustomerId = customerId,
                MerchantId = merchants[i],
                AmountCents = rng.Next(100, 5_001),
                TimestampMs = last - (size - 1 - i) * spacing,
                IpAddress = ips[i < ips.Count ? i : rng.Next(ips.Count)],
                Channel = Channels.Card,
                DeviceId = device,
                Country = country,
                PaymentFormat = rng.Chance(0.55) ? "credit" : "debit",
            };
            burst[i] = new LabeledTransaction(transaction, true, Typologies.Burst);
        }

        return burst;
    }

    /// <summary>A random order of the merchants, repeated when the burst is longer than the population.</summary>
    private string[] DistinctMerchants(ref SeededRandom rng, int size)
    {
        var all = _generator.Merchants;
        var order = new int[all.Count];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        var picked = new string[size];
        for (var i = 0; i < size; i++)
        {
            var k = i % order.Length;
            var j = k + rng.Next(order.Length - k); // partial Fisher-Yates: the first k entries are already drawn
            (order[k], order[j]) = (order[j], order[k]);
            picked[i] = all[order[k]].MerchantId;
        }

        return picked;
    }

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private string NextId() =>
        string.Create(CultureInfo.InvariantCulture, $"{RunId}_{++_issued:D9}");

    private static string NewRunId(TimeProvider clock) =>
        string.Create(CultureInfo.InvariantCulture, $"LIVE_{clock.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmssfff}_")
        + RandomNumberGenerator.GetString(RunIdAlphabet, 4);
}
