using Amlfs.Registry;

namespace Amlfs.Testing;

/// <summary>Definitions files for tests, made by editing the built-in default file as a user would.</summary>
public static class DefinitionTexts
{
    /// <summary>The feature of the registry's acceptance test: counts transactions between 09:00 and 17:00 local.</summary>
    public const string PeakHoursFeature = """
              - name: peak_hours_txn_count_1h
                aggregation: count
                window: 1h
                filter: {local_hours: "09-17"}
                description: Transactions between 09:00 and 17:00 local time in the last hour.

        """;

    /// <summary>Features of an account over what it receives and whom it deals with, for <see cref="WithInflows"/>.</summary>
    public const string InflowFeatures = """
              - name: inflow_amount_sum_1h
                aggregation: sum
                window: 1h
                direction: inflow
                description: Money received from other accounts in the last hour.
              - name: fan_in_accounts_1h
                aggregation: distinct_count
                field: counterparty_id
                window: 1h
                direction: inflow
                description: Distinct accounts that sent money in the last hour.
              - name: fan_out_counterparties_1h
                aggregation: distinct_count
                field: counterparty_id
                window: 1h
                description: Distinct destinations, merchants and accounts, paid in the last hour.
              - name: flow_amount_max_24h
                aggregation: max
                field: amount
                window: 24h
                direction: both
                description: The largest amount sent or received in the last 24 hours (tiled).

        """;

    private const string MerchantView = "  - name: merchant_activity\n";

    /// <summary>
    /// The default file with <see cref="InflowFeatures"/>, its customer receiving transfers as inflows (<c>inflows: true</c>,
    /// declared here unless the default already declares it).
    /// </summary>
    public static string WithInflows()
    {
        var text = WithCustomerFeature(InflowFeatures);
        return text.Contains("\n    inflows: true", StringComparison.Ordinal)
            ? text
            : text.Replace("join_key: customer_id", "join_key: customer_id\n    inflows: true", StringComparison.Ordinal);
    }

    /// <summary><see cref="WithInflows"/> as definitions.</summary>
    public static RegistryDefinition InflowDefinitions() => DefinitionsLoader.Parse(WithInflows(), "features.yaml");

    /// <summary>
    /// The seed's definitions as the default file holds them: its two activity views and its two request features,
    /// without inflows. For tests of what the seed's features alone do, whatever the default adds beside them.
    /// </summary>
    public static RegistryDefinition Seed()
    {
        var all = DefinitionsLoader.LoadDefault();
        return all with
        {
            Entities = [.. all.Entities.Where(e => e.Name is "customer" or "merchant").Select(e => e with { Inflows = false })],
            Views = [.. all.Views.Where(v => v.Name is "customer_activity" or "merchant_activity")],
            RequestFeatures = [.. all.RequestFeatures.Take(2)],
        };
    }

    /// <summary>How many features the built-in default declares, stored and request-time.</summary>
    public static int DefaultFeatureCount { get; } = DefinitionsLoader.LoadDefault().AllFeatures.Count();

    /// <summary>
    /// What a default feature reads for an entity without events in its windows (or an unknown one): 0, but for the time
    /// since the previous payment, which reads its 30-day bound in seconds.
    /// </summary>
    public static double QuietValue(string feature) => feature == "seconds_since_last_txn" ? 30 * 86_400 : 0;

    /// <summary>The default file with <paramref name="featureYaml"/> appended to the customer view's features.</summary>
    public static string WithCustomerFeature(string featureYaml)
    {
        ArgumentNullException.ThrowIfNull(featureYaml);
        var text = DefinitionsLoader.DefaultText();
        var at = text.IndexOf(MerchantView, StringComparison.Ordinal);
        if (at < 0)
            throw new InvalidOperationException("the default file no longer declares the merchant_activity view after the customer view");
        return text.Insert(at, featureYaml);
    }

    /// <summary>The default file with its first occurrence of <paramref name="from"/> replaced.</summary>
    public static string DefaultWith(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        var text = DefinitionsLoader.DefaultText();
        var at = text.IndexOf(from, StringComparison.Ordinal);
        if (at < 0)
            throw new InvalidOperationException($"the default file does not contain '{from}'");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
