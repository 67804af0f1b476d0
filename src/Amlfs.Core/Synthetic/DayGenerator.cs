using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amlfs.OfflineStore;
using Amlfs.Transactions;

namespace Amlfs.Synthetic;

/// <summary>
/// Generates one UTC day: every customer's normal activity, each from the customer's own random stream for that day,
/// then the day's typology instances, then one sort and the ids. Thread-safe: it only reads the population.
/// </summary>
internal sealed class DayGenerator(Population population, SyntheticOptions options, TimeZoneInfo zone)
{
    public const byte Pix = 0;
    public const byte Card = 1;
    public const byte Boleto = 2;
    public const byte Ted = 3;

    private const int IdDigits = 8;

    /// <summary>How much larger a transfer to a person is than the customer's grocery purchase, at the median.</summary>
    private const double TransferScale = 2.0;

    private static readonly string[] PaymentFormats = ["instant", "credit", "debit", "bank_slip", "wire"];

    public DayBatch Generate(int dayIndex)
    {
        var clock = new DayClock(options.Start.AddDays(dayIndex), zone);
        var expected = options.Customers * options.DailyTransactions * clock.WeekdayFactor;
        var rows = new List<RawTransaction>((int)Math.Min(expected * 1.05 + 1_024, SyntheticOptions.MaxDailyTransactions));
        AddNormalActivity(clock, dayIndex, rows);
        TypologyInjector.InjectDay(population, options, zone, clock, dayIndex, rows);
        return new DayBatch(dayIndex, clock.Date, Materialize(clock.Date, rows));
    }

    /// <summary>The payment format a channel implies; a card is credit a bit more often than debit.</summary>
    public static byte PaymentFormatOf(byte channel, ref SeededRandom rng) => channel switch
    {
        Pix => 0,
        Card => rng.Chance(0.55) ? (byte)1 : (byte)2,
        Boleto => 3,
        _ => 4,
    };

    // Called once per day, so tiered compilation would run these loops unoptimized for most of a run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddNormalActivity(DayClock clock, int dayIndex, List<RawTransaction> rows)
    {
        var customers = population.Customers;
        var transferShare = options.TransferShare;
        for (var c = 0; c < customers.Length; c++)
        {
            var profile = customers[c];
            var rng = SeededRandom.For(options.Seed, RandomPurpose.CustomerDay, c, dayIndex);
            var count = rng.Poisson(profile.DailyTransactions * clock.WeekdayFactor);
            var habitual = population.Habitual[c];
            var habitualWeights = Population.HabitualCumulative[habitual.Length];
            string? mobileIp = null; // the one mobile address of the customer's day, drawn when first needed
            var contacts = population.Contacts[c];
            var contactWeights = Population.HabitualCumulative[contacts.Length];
            for (var k = 0; k < count; k++)
            {
                var timestamp = clock.SampleTime(ref rng, profile.RhythmShiftHours);
                int destination;
                var kind = DestinationType.Merchant;
                byte channel;
                long cents;
                if (contacts.Length > 0 && rng.Chance(transferShare))
                {
                    // Money sent to family and friends, now and then to someone else (a seller, a bill split).
                    kind = DestinationType.Account;
                    destination = rng.Chance(0.9) ? contacts[rng.PickCumulative(contactWeights)] : OtherCustomer(ref rng, c);
                    channel = rng.Chance(0.9) ? Pix : Ted;
                    cents = (long)Math.Round(rng.LogNormal(profile.MedianAmountCents * TransferScale, profile.AmountSigma + 0.3));
                    if (rng.Chance(0.6))
                        cents = rng.Chance(0.4) ? (cents + 500) / 1_000 * 1_000 : (cents + 50) / 100 * 100;
                }
                else
                {
                    destination = habitual.Length > 0 && rng.Chance(0.8)
                        ? habitual[rng.PickCumulative(habitualWeights)]
                        : population.PopularMerchant(ref rng);
                    var category = CategorySpec.Table[population.MerchantCategory[destination]];
                    channel = (byte)(category.ChannelWeights[population.CustomerChannel[c]] > 0 && rng.Chance(0.6)
                        ? population.CustomerChannel[c]
                        : rng.Pick(category.ChannelWeights));
                    cents = (long)Math.Round(rng.LogNormal(profile.MedianAmountCents * category.AmountScale, profile.AmountSigma));
                    if (rng.Chance(0.2))
                        cents = (cents + 50) / 100 * 100; // whole reais, as many pix transfers are
                }

                cents = Math.Clamp(cents, 100, 3_000_000);

                string? ip;
                string? device = profile.DeviceId;
                if (channel == Boleto && rng.Chance(0.4))
                {
                    ip = null; // paid at a bank branch or a lottery house: no address, no device
                    device = null;
                }
                else if (rng.Chance(0.12))
                {
                    ip = mobileIp ??= IpAddresses.Mobile(ref rng);
                }
                else
                {
                    ip = profile.HomeIps[rng.Next(profile.HomeIps.Count)];
                }

                rows.Add(new RawTransaction
                {
                    TimestampMs = timestamp,
                    AmountCents = cents,
                    Customer = c,
                    Merchant = destination,
                    Destination = kind,
                    IpAddress = ip,
                    DeviceId = device,
                    Country = profile.Country,
                    Channel = channel,
                    PaymentFormat = PaymentFormatOf(channel, ref rng),
                });
            }
        }
    }

    /// <summary>A customer other than <paramref name="customer"/>; there are at least two.</summary>
    private int OtherCustomer(ref SeededRandom rng, int customer)
    {
        var other = rng.Next(population.Customers.Length - 1);
        return other >= customer ? other + 1 : other;
    }

    /// <summary>
    /// Sorts by (timestamp, generation order) and numbers the transactions in that order, so that the ids, which have
    /// one width within a day, sort the same way: the day is then sorted by (timestamp, transaction id).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LabeledTransaction[] Materialize(DateOnly date, List<RawTransaction> rows)
    {
        var raw = CollectionsMarshal.AsSpan(rows);
        var order = new OrderKey[raw.Length];
        for (var i = 0; i < raw.Length; i++)
            order[i] = new OrderKey(raw[i].TimestampMs, i);
        Array.Sort(order);

        var prefix = string.Create(CultureInfo.InvariantCulture, $"TXN_{date:yyyyMMdd}_");
        var digits = Math.Max(IdDigits, raw.Length.ToString(CultureInfo.InvariantCulture).Length);
        var result = new LabeledTransaction[raw.Length];
        for (var i = 0; i < order.Length; i++)
        {
            ref readonly var r = ref raw[order[i].Ordinal];
            var transaction = new Transaction
            {
                TransactionId = TransactionId(prefix, i + 1, digits),
                CustomerId = population.AccountId(r.Customer),
                MerchantId = r.Destination == DestinationType.Account
                    ? population.AccountId(r.Merchant)
                    : population.Merchants[r.Merchant].MerchantId,
                DestinationType = r.Destination,
                AmountCents = r.AmountCents,
                Currency = TransactionValidator.DefaultCurrency,
                TimestampMs = r.TimestampMs,
                IpAddress = r.IpAddress,
                Channel = Channels.All[r.Channel],
                DeviceId = r.DeviceId,
                Country = r.Country,
                PaymentFormat = PaymentFormats[r.PaymentFormat],
            };
            result[i] = r.Typology == 0
                ? new LabeledTransaction(transaction, false, Typologies.None)
                : new LabeledTransaction(transaction, true, Typologies.All[r.Typology - 1]);
        }

        return result;
    }

    private static string TransactionId(string prefix, int number, int digits) =>
        string.Create(prefix.Length + digits, (prefix, number), static (span, state) =>
        {
            state.prefix.CopyTo(span);
            var n = state.number;
            for (var i = span.Length - 1; i >= state.prefix.Length; i--, n /= 10)
                span[i] = (char)('0' + n % 10);
        });

    private readonly record struct OrderKey(long TimestampMs, int Ordinal) : IComparable<OrderKey>
    {
        public int CompareTo(OrderKey other)
        {
            var byTime = TimestampMs.CompareTo(other.TimestampMs);
            return byTime != 0 ? byTime : Ordinal.CompareTo(other.Ordinal);
        }
    }
}
