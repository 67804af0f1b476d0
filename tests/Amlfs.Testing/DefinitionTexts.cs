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

    private const string MerchantView = "  - name: merchant_activity\n";

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
