using Amlfs.OfflineStore;
using Amlfs.Synthetic;
using Amlfs.Transactions;

namespace Amlfs.Core.Tests.Synthetic;

/// <summary>Each typology is present, labelled, and has the shape that the rules and features are meant to catch.</summary>
public sealed class TypologyTests
{
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;

    private static readonly SyntheticGenerator Generator = new(new SyntheticOptions
    {
        Customers = 600,
        Merchants = 60,
        Days = 4,
        Seed = 2024,
        Laundering = TypologySettings.Default.Scaled(20),
    });

    private static readonly List<LabeledTransaction> Rows = Generator.Stream().ToList();

    public static TheoryData<string> All => [.. Typologies.All];

    public static TheoryData<string> Graph => [.. Typologies.Graph];

    [Theory]
    [MemberData(nameof(All))]
    public void Every_typology_is_present_and_labelled_suspicious(string typology)
    {
        var rows = Rows.Where(r => r.Typology == typology).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.IsSuspicious));
    }

    [Fact]
    public void Normal_transfers_between_customers_are_unlabelled()
    {
        var customers = Generator.Customers.Select(c => c.CustomerId).ToHashSet();
        var transfers = Rows.Where(r => r.Transaction.DestinationType == DestinationType.Account).ToList();

        Assert.Contains(transfers, r => r.IsSuspicious == false);
        Assert.All(transfers.Where(r => r.IsSuspicious == false), r =>
        {
            Assert.Equal(Typologies.None, r.Typology);
            Assert.Contains(r.Transaction.MerchantId, customers);
            Assert.NotEqual(r.Transaction.CustomerId, r.Transaction.MerchantId);
        });
    }

    [Theory]
    [MemberData(nameof(Graph))]
    public void Graph_typologies_move_money_between_accounts(string typology)
    {
        var rows = Of(typology);
        var toMerchants = rows.Where(r => r.DestinationType == DestinationType.Merchant).ToList();

        Assert.True(toMerchants.Count < rows.Count / 2, $"{toMerchants.Count} of {rows.Count} paid merchants");
        Assert.All(toMerchants, r => Assert.Contains(Generator.Merchants.Single(m => m.MerchantId == r.MerchantId).Category,
            new[] { MerchantCategories.CryptoExchange, MerchantCategories.MoneyTransfer }));
    }

    [Fact]
    public void Structuring_also_transfers_to_accounts()
    {
        var rows = Of(Typologies.Structuring);

        Assert.Contains(rows, r => r.DestinationType == DestinationType.Account);
        Assert.Contains(rows, r => r.DestinationType == DestinationType.Merchant);
    }

    [Fact]
    public void Cycles_running_over_several_days_close_across_the_days()
    {
        var cycle = TypologySettings.Default[Typologies.Cycle];
        var generator = new SyntheticGenerator(new SyntheticOptions
        {
            Customers = 3_000,
            Merchants = 50,
            Days = 6,
            Seed = 8,
            Laundering = TypologySettings.None.With(Typologies.Cycle, cycle with { Rate = 5, SpanMs = new(Hour, 3 * 24 * Hour) }),
        });
        var rows = generator.Stream(parallelism: 2).Where(r => r.Typology == Typologies.Cycle).Select(r => r.Transaction).ToList();

        // A union of closed walks leaves every account as often as it enters; a walk cut at midnight would not.
        var balance = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in rows)
        {
            balance[t.CustomerId] = balance.GetValueOrDefault(t.CustomerId) + 1;
            balance[t.MerchantId] = balance.GetValueOrDefault(t.MerchantId) - 1;
        }

        Assert.True(rows.Count > 100);
        Assert.All(balance, b => Assert.Equal(0, b.Value));
        Assert.Contains(rows, t => rows.Any(o => o.CustomerId == t.MerchantId && Day(o) > Day(t)));
    }

    [Fact]
    public void Bursts_pack_at_least_twenty_transactions_of_one_customer_into_a_minute()
    {
        var rows = Of(Typologies.Burst);

        Assert.All(rows, r => Assert.True(
            rows.Count(o => o.CustomerId == r.CustomerId && Math.Abs(o.TimestampMs - r.TimestampMs) < Minute) >= 20));
    }

    [Fact]
    public void Structuring_keeps_amounts_just_under_ten_thousand_reais_over_hours()
    {
        var rows = Of(Typologies.Structuring);

        Assert.All(rows, r => Assert.InRange(r.Amount, 9_000m, 9_999.99m));
        foreach (var group in rows.GroupBy(r => (r.CustomerId, Day(r))))
            Assert.True(group.Count() >= 5);
    }

    [Fact]
    public void Multiple_ips_show_more_than_three_distinct_addresses_within_an_hour()
    {
        foreach (var group in Of(Typologies.MultipleIps).GroupBy(r => (r.CustomerId, Day(r))))
        {
            var rows = group.ToList();
            var most = rows.Max(start => rows
                .Where(r => r.TimestampMs >= start.TimestampMs && r.TimestampMs < start.TimestampMs + Hour)
                .Select(r => r.IpAddress).Distinct().Count());
            Assert.True(most > 3, $"{group.Key}: at most {most} distinct IPs in an hour");
        }
    }

    [Fact]
    public void Night_activity_happens_between_ten_at_night_and_six_in_the_morning_local_time()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var rows = Of(Typologies.NightActivity);

        Assert.All(rows, r => Assert.True(TimeZoneInfo.ConvertTime(r.Timestamp, zone).Hour is >= 22 or < 6, $"{r.Timestamp:O}"));
        foreach (var group in rows.GroupBy(r => (r.CustomerId, Day(r))))
            Assert.True(group.Count() >= 10);
    }

    [Fact]
    public void High_values_are_far_above_ten_thousand_reais()
    {
        Assert.All(Of(Typologies.HighValue), r => Assert.True(r.Amount >= 15_000m, $"{r.Amount}"));
    }

    [Fact]
    public void Merchant_fan_in_brings_many_new_customers_to_one_merchant_within_an_hour()
    {
        var habitual = Generator.Customers.ToDictionary(c => c.CustomerId, c => c.HabitualMerchants);
        var rows = Of(Typologies.MerchantFanIn);

        Assert.All(rows, r => Assert.DoesNotContain(r.MerchantId, habitual[r.CustomerId]));
        Assert.All(rows, r => Assert.True(
            rows.Where(o => o.MerchantId == r.MerchantId && Math.Abs(o.TimestampMs - r.TimestampMs) < Hour)
                .Select(o => o.CustomerId).Distinct().Count() >= 20));
    }

    [Fact]
    public void A_shared_ip_is_used_by_many_different_customers()
    {
        foreach (var group in Of(Typologies.SharedIp).GroupBy(r => (r.IpAddress, Day(r))))
            Assert.True(group.Select(r => r.CustomerId).Distinct().Count() >= 10, $"{group.Key}");
    }

    [Fact]
    public void Shared_ips_are_no_customers_home_address()
    {
        var homes = Generator.Customers.SelectMany(c => c.HomeIps).ToHashSet();

        Assert.All(Of(Typologies.SharedIp), r => Assert.DoesNotContain(r.IpAddress!, homes));
    }

    private static List<Transaction> Of(string typology) =>
        Rows.Where(r => r.Typology == typology).Select(r => r.Transaction).ToList();

    private static long Day(Transaction t) => t.TimestampMs / (24 * Hour);
}
