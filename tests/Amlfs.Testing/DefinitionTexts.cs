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

    /// <summary>
    /// The graph features of an account, for <see cref="WithGraph"/>: the seed's named ego-network features and the
    /// typologies' searches, as docs/graph.md shows them.
    /// </summary>
    public const string GraphFeatures = """
              - name: graph_degree_centrality
                aggregation: degree
                window: 24h
                direction: both
                description: Distinct accounts this account sent money to or received money from in the last 24 hours.
              - name: graph_clustering_coefficient
                aggregation: clustering_coefficient
                window: 24h
                max_neighbours: 64
                description: Share of the pairs of this account's 64 most recent account contacts that transferred between themselves in the last 24 hours.
              - name: graph_betweenness_centrality
                aggregation: ego_betweenness
                window: 24h
                max_neighbours: 64
                description: Ego betweenness (Everett and Borgatti) of this account among its 64 most recent account contacts in the last 24 hours.
              - name: cycle_count_24h
                aggregation: cycle_count
                window: 24h
                max_hops: 6
                max_visits: 2000
                description: Transfers sent in the last 24 hours whose money came back through at most 6 time-increasing transfers.
              - name: scatter_gather_24h
                aggregation: scatter_gather
                window: 24h
                max_visits: 200
                description: Most accounts this account paid that then paid one same account, in the last 24 hours.
              - name: gather_scatter_24h
                aggregation: gather_scatter
                window: 24h
                description: Smaller of the accounts that paid this account and the accounts it paid after, in the last 24 hours.

        """;

    /// <summary>
    /// Entity types joined on <c>ip_address</c> and <c>device_id</c>, as docs/graph.md declares them, for
    /// <see cref="WithIpAndDevice"/>.
    /// </summary>
    public const string IpAndDeviceEntities = """
          - name: ip
            join_key: ip_address
            description: An IP address payments are sent from.
          - name: device
            join_key: device_id
            description: A device payments are sent from.

        """;

    /// <summary>The feature views of <see cref="IpAndDeviceEntities"/>: accounts sharing an IP or a device, and their traffic.</summary>
    public const string IpAndDeviceViews = """
          - name: ip_activity
            entity: ip
            family: graph
            owner: aml-team
            description: Who pays from an IP address, how often and how much.
            tags: [aml, shared-ip]
            features:
              - name: ip_unique_accounts_1h
                aggregation: distinct_count
                field: customer_id
                window: 1h
                description: Accounts that paid from this IP address in the last hour.
              - name: ip_unique_accounts_24h
                aggregation: distinct_count
                field: customer_id
                window: 24h
                hop: exact
                description: Accounts that paid from this IP address in the last 24 hours, exact.
              - name: ip_unique_devices_24h
                aggregation: distinct_count
                field: device_id
                window: 24h
                hop: exact
                description: Devices seen behind this IP address in the last 24 hours (payments without a device are not counted).
              - name: ip_txn_count_1h
                aggregation: count
                window: 1h
                description: Payments from this IP address in the last hour.
              - name: ip_txn_count_24h
                aggregation: count
                window: 24h
                description: Payments from this IP address in the last 24 hours, tiled by 5 minutes.
              - name: ip_txn_amount_sum_24h
                aggregation: sum
                field: amount
                window: 24h
                description: Total paid from this IP address in the last 24 hours, tiled by 5 minutes.
          - name: device_activity
            entity: device
            family: graph
            owner: aml-team
            description: Who pays from a device, how often and how much.
            tags: [aml, shared-device]
            features:
              - name: device_unique_accounts_1h
                aggregation: distinct_count
                field: customer_id
                window: 1h
                description: Accounts that paid from this device in the last hour.
              - name: device_unique_accounts_24h
                aggregation: distinct_count
                field: customer_id
                window: 24h
                hop: exact
                description: Accounts that paid from this device in the last 24 hours, exact.
              - name: device_unique_ips_24h
                aggregation: distinct_count
                field: ip_address
                window: 24h
                hop: exact
                description: IP addresses this device paid from in the last 24 hours.
              - name: device_txn_count_24h
                aggregation: count
                window: 24h
                description: Payments from this device in the last 24 hours, tiled by 5 minutes.
              - name: device_txn_amount_sum_24h
                aggregation: sum
                field: amount
                window: 24h
                description: Total paid from this device in the last 24 hours, tiled by 5 minutes.

        """;

    /// <summary>
    /// Request features telling whether the request's counterparty, IP and device were seen with the account in the last
    /// 30 days, and when the counterparty last was, as docs/definitions.md declares them, for <see cref="WithFirstSeen"/>.
    /// </summary>
    public const string FirstSeenFeatures = """
          - name: first_seen_counterparty_30d
            entity: customer
            aggregation: first_seen
            field: counterparty_id
            window: 30d
            description: 1 when the account made no payment to the request's merchant or destination account in the last 30 days.
          - name: first_seen_ip_30d
            entity: customer
            aggregation: first_seen
            field: ip_address
            window: 30d
            description: 1 when the account paid from no transaction with the request's IP address in the last 30 days (0 without an IP).
          - name: first_seen_device_30d
            entity: customer
            aggregation: first_seen
            field: device_id
            window: 30d
            description: 1 when the account paid from the request's device in none of the last 30 days (0 without a device).
          - name: counterparty_last_seen_30d
            entity: customer
            aggregation: last_seen_time
            field: counterparty_id
            window: 30d
            description: When the account last paid the request's counterparty within 30 days (ms since the epoch; 0 for never).
          - name: days_since_counterparty_30d
            entity: customer
            expression: if(counterparty_last_seen_30d == 0, 30d, now - counterparty_last_seen_30d) / 1d
            description: Days since the account last paid the request's counterparty (30 when not within 30 days).

        """;

    private const string MerchantView = "  - name: merchant_activity\n";

    /// <summary>The default file with <see cref="FirstSeenFeatures"/> appended to its request features.</summary>
    public static string WithFirstSeen(string? text = null)
    {
        text ??= DefinitionsLoader.DefaultText();
        if (!text.Contains("request_features:", StringComparison.Ordinal))
            text += "\nrequest_features:\n";
        return text.TrimEnd('\n') + "\n" + FirstSeenFeatures;
    }

    /// <summary>
    /// The default file with the entity types joined on <c>ip_address</c> and <c>device_id</c> and their views
    /// (<see cref="IpAndDeviceEntities"/>, <see cref="IpAndDeviceViews"/>); unchanged when it declares them already.
    /// </summary>
    public static string WithIpAndDevice(string? text = null)
    {
        text ??= DefinitionsLoader.DefaultText();
        if (text.Contains("join_key: ip_address", StringComparison.Ordinal))
            return text;
        return InsertBefore(InsertBefore(text, "feature_views:", IpAndDeviceEntities), "request_features:", IpAndDeviceViews);
    }

    /// <summary><see cref="WithIpAndDevice"/> as definitions.</summary>
    public static RegistryDefinition IpAndDeviceDefinitions() => DefinitionsLoader.Parse(WithIpAndDevice(), "features.yaml");

    /// <summary>The text with <paramref name="insertion"/> before the line that starts with <paramref name="anchor"/>.</summary>
    private static string InsertBefore(string text, string anchor, string insertion)
    {
        var at = text.IndexOf("\n" + anchor, StringComparison.Ordinal);
        if (at < 0)
            throw new InvalidOperationException($"the definitions no longer have a line starting '{anchor}'");
        return text.Insert(at + 1, insertion);
    }

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

    /// <summary><see cref="WithInflows"/> with <see cref="GraphFeatures"/> too.</summary>
    public static string WithGraph()
    {
        var text = WithInflows();
        return text.Insert(text.IndexOf(MerchantView, StringComparison.Ordinal), GraphFeatures);
    }

    /// <summary><see cref="WithGraph"/> as definitions.</summary>
    public static RegistryDefinition GraphDefinitions() => DefinitionsLoader.Parse(WithGraph(), "features.yaml");

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
            Entities = [.. all.Entities.Select(e => e with { Inflows = false })],
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
