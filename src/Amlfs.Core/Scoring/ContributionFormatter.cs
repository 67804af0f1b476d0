using System.Globalization;

namespace Amlfs.Scoring;

/// <summary>
/// Says what one input contributed to a learned model's score, in English or Brazilian Portuguese: what the input is,
/// its value (money as reais), the customer's usual level where the input has one, and the contribution (TreeSHAP, in
/// log-odds) with its sign: <c>Valor R$ 12.500,00, acima do habitual R$ 180,00: +0,21</c>. The seed's features have
/// their own words; any other input is named as defined (<c>my_feature 3.5: +0.02</c>).
/// </summary>
public static class ContributionFormatter
{
    /// <summary>How the seed's inputs read: English words, Portuguese words, and whether the value is money.</summary>
    private static readonly Dictionary<string, (string English, string Portuguese, bool Money)> Words = new(StringComparer.Ordinal)
    {
        [ModelInputLayout.AmountInput] = ("Amount", "Valor", true),
        ["txn_amount_sum_60s"] = ("Paid in the last 60 seconds", "Pago nos últimos 60 segundos", true),
        ["txn_amount_sum_5m"] = ("Paid in the last 5 minutes", "Pago nos últimos 5 minutos", true),
        ["txn_amount_sum_1h"] = ("Paid in the last hour", "Pago na última hora", true),
        ["txn_count_60s"] = ("Transactions in the last 60 seconds", "Transações nos últimos 60 segundos", false),
        ["txn_count_5m"] = ("Transactions in the last 5 minutes", "Transações nos últimos 5 minutos", false),
        ["txn_count_10m"] = ("Transactions in the last 10 minutes", "Transações nos últimos 10 minutos", false),
        ["txn_count_1h"] = ("Transactions in the last hour", "Transações na última hora", false),
        ["unique_ips_1h"] = ("Distinct IPs in the last hour", "IPs distintos na última hora", false),
        ["unique_merchants_1h"] = ("Distinct merchants in the last hour", "Estabelecimentos distintos na última hora", false),
        ["velocity_score_1h"] = ("Transactions per minute in the last hour", "Transações por minuto na última hora", false),
        ["amount_deviation_score_1h"] = ("Standard deviation of amounts in the last hour", "Desvio padrão dos valores na última hora", true),
        ["night_txn_count_24h"] = ("Night transactions in the last 24 hours", "Transações noturnas nas últimas 24 horas", false),
        ["weekend_txn_count_7d"] = ("Weekend transactions in the last 7 days", "Transações no fim de semana nos últimos 7 dias", false),
        ["avg_txn_amount_1h"] = ("Mean amount in the last hour", "Valor médio na última hora", true),
        ["max_txn_amount_1h"] = ("Largest amount in the last hour", "Maior valor na última hora", true),
        ["merchant_txn_count_1h"] = ("Merchant's transactions in the last hour", "Transações do estabelecimento na última hora", false),
        ["merchant_txn_amount_sum_1h"] = ("Merchant's takings in the last hour", "Recebido pelo estabelecimento na última hora", true),
        ["merchant_unique_customers_1h"] = ("Merchant's distinct customers in the last hour", "Clientes distintos do estabelecimento na última hora", false),
        ["merchant_avg_txn_amount_1h"] = ("Merchant's mean amount in the last hour", "Valor médio do estabelecimento na última hora", true),
        ["txn_count_60s_with_current"] = ("Transactions in the last 60 seconds, this one included", "Transações nos últimos 60 segundos, incluindo esta", false),
        ["txn_amount_sum_60s_with_current"] = ("Paid in the last 60 seconds, this one included", "Pago nos últimos 60 segundos, incluindo esta", true),
    };

    /// <summary>
    /// The customer's usual level of each input that has one: the input whose value is the usual level, longest window
    /// first (the amount against the customer's mean amount).
    /// </summary>
    private static readonly Dictionary<string, string[]> UsualLevels = new(StringComparer.Ordinal)
    {
        [ModelInputLayout.AmountInput] = ["avg_txn_amount_30d", "avg_txn_amount_7d", "avg_txn_amount_24h", "avg_txn_amount_1h"],
    };

    /// <summary>
    /// The input among <paramref name="inputs"/> that holds <paramref name="input"/>'s usual level, or -1 when it has
    /// none there.
    /// </summary>
    public static int UsualLevelInput(string input, IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!UsualLevels.TryGetValue(input, out var candidates))
            return -1;
        foreach (var candidate in candidates)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i] == candidate)
                    return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// One contribution as a sentence. <paramref name="usual"/> is the customer's usual level of the input (shown when
    /// positive), or null.
    /// </summary>
    public static string Format(string input, double value, double contribution, double? usual, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(culture);
        var portuguese = ExplanationFormatter.IsPortuguese(culture);
        var numbers = ExplanationFormatter.NumbersOf(culture);
        var known = Words.TryGetValue(input, out var words);
        var name = !known ? input : portuguese ? words.Portuguese : words.English;
        var shown = double.IsNaN(value) ? (portuguese ? "ausente" : "missing")
            : known && words.Money ? Money(value, numbers)
            : value.ToString("#,0.##", numbers);
        var sign = contribution >= 0 ? "+" : "-";
        var amount = Math.Abs(contribution).ToString("0.00", numbers);
        if (usual is > 0 && !double.IsNaN(value))
        {
            var comparison = value >= usual
                ? (portuguese ? "acima do habitual" : "above the usual")
                : (portuguese ? "abaixo do habitual" : "below the usual");
            var usualText = known && words.Money ? Money(usual.Value, numbers) : usual.Value.ToString("#,0.##", numbers);
            return $"{name} {shown}, {comparison} {usualText}: {sign}{amount}";
        }

        return $"{name} {shown}: {sign}{amount}";
    }

    private static string Money(double value, NumberFormatInfo numbers) => "R$ " + value.ToString("#,0.00", numbers);
}
