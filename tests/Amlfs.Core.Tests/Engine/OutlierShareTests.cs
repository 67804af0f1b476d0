using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary><c>outlier_share</c> and the distinct labels of a payment (currency, payment format), on worked examples.</summary>
public sealed class OutlierShareTests
{
    private static readonly long Noon = Tx.Utc(2026, 3, 10, 15);

    private const string Features = """
              - name: outlier_share_2sd_1h
                aggregation: outlier_share
                window: 1h
                threshold_sd: 2
                description: Share of the last hour's payments more than 2 standard deviations from their mean.
              - name: outlier_share_default_1h
                aggregation: outlier_share
                window: 1h
                description: The same at the default 3 standard deviations.
              - name: unique_currencies_1h
                aggregation: distinct_count
                field: currency
                window: 1h
                description: Distinct currencies paid in.
              - name: unique_payment_formats_1h
                aggregation: distinct_count
                field: payment_format
                window: 1h
                description: Distinct payment formats used (payments without one are not counted).

        """;

    private static RegistryDefinition Definition => DefinitionsLoader.Parse(DefinitionTexts.WithCustomerFeature(Features), "features.yaml");

    [Fact]
    public void One_payment_far_from_nine_equal_ones_is_a_tenth_of_them_at_two_deviations_and_none_at_three()
    {
        using var engine = TestEngines.Inline(Definition);
        for (var i = 0; i < 9; i++)
            engine.Ingest(Tx.At(Noon + i * 1_000, cents: 10_00));
        engine.Ingest(Tx.At(Noon + 9_000, cents: 100_00));

        // Mean 19, sample deviation 28.46: 100 is 81 away, 2.85 deviations; each 10 is 9 away.
        var f = engine.Features("customer", "CUST_1", Noon + 10_000);

        Assert.Equal(0.1, f["outlier_share_2sd_1h"]);
        Assert.Equal(0, f["outlier_share_default_1h"]);
    }

    [Fact]
    public void Equal_amounts_and_single_payments_have_no_outliers()
    {
        using var engine = TestEngines.Inline(Definition);
        engine.Ingest(Tx.At(Noon, cents: 50_00));
        Assert.Equal(0, engine.Features("customer", "CUST_1", Noon + 1)["outlier_share_2sd_1h"]);
        engine.Ingest(Tx.At(Noon + 1, cents: 50_00));
        engine.Ingest(Tx.At(Noon + 2, cents: 50_00));
        Assert.Equal(0, engine.Features("customer", "CUST_1", Noon + 3)["outlier_share_2sd_1h"]);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(2.84, true)]
    [InlineData(2.85, false)]
    public void An_outlier_is_more_than_the_threshold_of_sample_deviations_from_the_mean(double thresholdSd, bool outlier)
    {
        long[] cents = [.. Enumerable.Repeat(10_00L, 9), 100_00L];
        var sum = cents.Sum();
        var squares = cents.Aggregate(Int128.Zero, (s, x) => s + (Int128)x * x);
        var mean = sum / (double)cents.Length;
        var deviation = Math.Sqrt(cents.Sum(x => (x - mean) * (x - mean)) / (cents.Length - 1));

        Assert.Equal(2.846, (100_00 - mean) / deviation, 3);
        Assert.Equal(outlier, AggregateMath.IsOutlier(cents.Length, sum, squares, 100_00, thresholdSd));
        Assert.False(AggregateMath.IsOutlier(cents.Length, sum, squares, 10_00, thresholdSd));
    }

    [Fact]
    public void Currencies_and_payment_formats_count_distinctly_and_a_missing_format_is_not_counted()
    {
        using var engine = TestEngines.Inline(Definition);
        engine.Ingest(Tx.At(Noon) with { Currency = "BRL", PaymentFormat = "pix" });
        engine.Ingest(Tx.At(Noon + 1) with { Currency = "USD", PaymentFormat = "pix" });
        engine.Ingest(Tx.At(Noon + 2) with { Currency = "USD", PaymentFormat = null });
        engine.Ingest(Tx.At(Noon + 3) with { Currency = "EUR", PaymentFormat = "wire" });

        var f = engine.Features("customer", "CUST_1", Noon + 4);

        Assert.Equal(3, f["unique_currencies_1h"]);
        Assert.Equal(2, f["unique_payment_formats_1h"]);
    }

    [Theory]
    [InlineData("count", "1h", "2", "only outlier_share takes a threshold_sd")]
    [InlineData("outlier_share", "1h", "-1", "must be a positive number of standard deviations")]
    [InlineData("outlier_share", "24h", "3", "outlier_share is exact")]
    public void Bad_outlier_definitions_are_refused_naming_the_feature(string aggregation, string window, string threshold, string message)
    {
        var feature = $"""
                  - name: outlier_share_2sd_1h
                    aggregation: {aggregation}
                    window: {window}
                    threshold_sd: {threshold}

            """;

        var e = Assert.Throws<DefinitionException>(() => FeaturePlan.Load(DefinitionTexts.WithCustomerFeature(feature), "features.yaml"));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("outlier_share_2sd_1h", e.Message, StringComparison.Ordinal);
    }
}
