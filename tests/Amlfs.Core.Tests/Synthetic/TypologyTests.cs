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
        Customers = 400,
        Merchants = 60,
        Days = 3,
        Seed = 2024,
        Rates = new TypologyRates().Scaled(10),
    });

    private static readonly List<LabeledTransaction> Rows = Generator.Stream().ToList();

    public static TheoryData<string> All => [.. Typologies.All];

    [Theory]
    [MemberData(nameof(All))]
    public void Every_typology_is_present_and_labelled_suspicious(string typology)
    {
        var rows = Rows.Where(r => r.Typology == typology).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.IsSuspicious));
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
