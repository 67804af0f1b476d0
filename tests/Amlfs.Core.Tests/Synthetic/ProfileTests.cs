using System.Net;
using System.Net.Sockets;
using Amlfs.Synthetic;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Synthetic;

public sealed class ProfileTests
{
    private static readonly SyntheticGenerator Generator = new(new SyntheticOptions
    {
        Customers = 2_000,
        Merchants = 120,
        Days = 2,
        Seed = 99,
        Laundering = TypologySettings.None,
    });

    [Fact]
    public void Customers_and_merchants_have_sequential_padded_ids()
    {
        Assert.Equal("CUST_000001", Generator.Customers[0].CustomerId);
        Assert.Equal("CUST_002000", Generator.Customers[^1].CustomerId);
        Assert.Equal("MERCH_00001", Generator.Merchants[0].MerchantId);
        Assert.Equal("MERCH_00120", Generator.Merchants[^1].MerchantId);
    }

    [Fact]
    public void Customers_have_one_to_three_canonical_home_ips_some_of_them_ipv6()
    {
        var ips = Generator.Customers.SelectMany(c => c.HomeIps).ToList();

        Assert.All(Generator.Customers, c => Assert.InRange(c.HomeIps.Count, 1, 3));
        Assert.All(ips, ip => Assert.True(TransactionValidator.TryCanonicalIp(ip, out var canonical) && canonical == ip, ip));
        var v6 = ips.Count(ip => IPAddress.Parse(ip).AddressFamily == AddressFamily.InterNetworkV6);
        Assert.InRange(v6 / (double)ips.Count, 0.1, 0.3);
        Assert.InRange(Generator.Customers.Count(c => c.HomeIps.Count > 1) / (double)Generator.Customers.Count, 0.3, 0.7);
    }

    [Fact]
    public void Customers_have_a_handful_of_habitual_merchants_that_exist()
    {
        var merchantIds = Generator.Merchants.Select(m => m.MerchantId).ToHashSet();

        Assert.All(Generator.Customers, c =>
        {
            Assert.InRange(c.HabitualMerchants.Count, 1, 8);
            Assert.Equal(c.HabitualMerchants.Count, c.HabitualMerchants.Distinct().Count());
            Assert.All(c.HabitualMerchants, m => Assert.Contains(m, merchantIds));
        });
    }

    [Fact]
    public void Almost_every_customer_is_brazilian_with_amounts_of_tens_to_hundreds_of_reais()
    {
        var customers = Generator.Customers;

        Assert.InRange(customers.Count(c => c.Country == "BR") / (double)customers.Count, 0.94, 0.995);
        Assert.All(customers, c => Assert.InRange(c.MedianAmountCents, 1_500, 60_000));
        Assert.All(customers, c => Assert.Contains(c.Channel, Channels.All));
        Assert.All(customers, c => Assert.InRange(c.RhythmShiftHours, -2, 2));
        Assert.InRange(customers.Average(c => c.DailyTransactions), 2.8, 3.8);
    }

    [Fact]
    public void Every_merchant_category_exists()
    {
        Assert.Equal(
            MerchantCategories.All.Order(StringComparer.Ordinal),
            Generator.Merchants.Select(m => m.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(MerchantCategories.CryptoExchange, MerchantCategories.All);
        Assert.Contains(MerchantCategories.Gambling, MerchantCategories.All);
        Assert.Contains(MerchantCategories.MoneyTransfer, MerchantCategories.All);
    }

    [Fact]
    public void Normal_activity_happens_mostly_by_day_from_home_at_habitual_merchants()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var customers = Generator.Customers.ToDictionary(c => c.CustomerId);
        var rows = Generator.Stream().Select(r => r.Transaction).ToList();

        var night = rows.Count(t => TimeZoneInfo.ConvertTime(t.Timestamp, zone).Hour is >= 22 or < 6);
        var home = rows.Count(t => t.IpAddress is { } ip && customers[t.CustomerId].HomeIps.Contains(ip));
        var payments = rows.Where(t => t.DestinationType == DestinationType.Merchant).ToList();
        var habitual = payments.Count(t => customers[t.CustomerId].HabitualMerchants.Contains(t.MerchantId));
        var amounts = rows.Select(t => t.AmountCents).Order().ToList();

        Assert.InRange(night / (double)rows.Count, 0.01, 0.12);
        Assert.InRange(home / (double)rows.Count, 0.7, 0.95);
        Assert.InRange(habitual / (double)payments.Count, 0.7, 0.95);
        Assert.InRange(amounts[amounts.Count / 2], 1_000, 100_000);
        Assert.Equal(Channels.All.Order(StringComparer.Ordinal), rows.Select(t => t.Channel!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_tenth_of_normal_activity_is_transfers_to_family_and_friends_in_everyday_amounts()
    {
        var options = new SyntheticOptions { Customers = 500, Merchants = 50, Days = 28, Seed = 4, Laundering = TypologySettings.None };
        var rows = new SyntheticGenerator(options).Stream(parallelism: 2).Select(r => r.Transaction).ToList();
        var transfers = rows.Where(t => t.DestinationType == DestinationType.Account).ToList();
        var pairs = transfers.GroupBy(t => (t.CustomerId, t.MerchantId)).ToList();
        var amounts = transfers.Select(t => t.AmountCents).Order().ToList();

        Assert.InRange(transfers.Count / (double)rows.Count, 0.08, 0.12);
        Assert.All(transfers, t => Assert.StartsWith("CUST_", t.MerchantId, StringComparison.Ordinal));
        Assert.All(transfers, t => Assert.NotEqual(t.CustomerId, t.MerchantId));
        Assert.InRange(amounts[amounts.Count / 2], 2_000, 50_000);
        Assert.InRange(transfers.Count(t => t.AmountCents % 100 == 0) / (double)transfers.Count, 0.4, 0.8);
        // Family and friends are paid again and again: most transfers go to a counterparty paid more than once.
        Assert.True(pairs.Where(p => p.Count() > 1).Sum(p => p.Count()) > transfers.Count / 2);
    }

    [Fact]
    public void Households_send_each_other_money()
    {
        var transfers = Generator.Stream().Select(r => r.Transaction)
            .Where(t => t.DestinationType == DestinationType.Account).ToList();
        var pairs = transfers.Select(t => (t.CustomerId, t.MerchantId)).ToHashSet();

        Assert.Contains(pairs, p => pairs.Contains((p.MerchantId, p.CustomerId)));
    }

    [Fact]
    public void Weekends_are_quieter_than_weekdays()
    {
        var generator = new SyntheticGenerator(new SyntheticOptions
        {
            Customers = 2_000,
            Merchants = 50,
            Days = 7,
            Seed = 3,
            Laundering = TypologySettings.None,
        });

        var perDay = generator.GenerateDays().ToDictionary(d => d.Date.DayOfWeek, d => d.Transactions.Count);

        Assert.True(perDay[DayOfWeek.Sunday] < perDay[DayOfWeek.Monday]);
        Assert.True(perDay[DayOfWeek.Friday] > perDay[DayOfWeek.Sunday]);
    }
}
