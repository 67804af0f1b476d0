using System.Globalization;

namespace Amlfs.Scoring;

/// <summary>
/// Says why in words: each <see cref="RiskReason"/> as a sentence with its values, in Brazilian Portuguese for any
/// Portuguese culture and in English for every other. Money is always reais, written <c>R$ 12,500.00</c> in English
/// and <c>R$ 12.500,00</c> in Portuguese.
/// </summary>
public static class ExplanationFormatter
{
    // Built by hand rather than taken from the cultures, whose separators vary with the ICU version of the machine.
    private static readonly NumberFormatInfo EnglishNumbers = Numbers(group: ",", decimalPoint: ".");
    private static readonly NumberFormatInfo PortugueseNumbers = Numbers(group: ".", decimalPoint: ",");

    /// <summary>The culture of English explanations, and the default.</summary>
    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en", predefinedOnly: false);

    /// <summary>The culture of Portuguese explanations.</summary>
    public static CultureInfo BrazilianPortuguese { get; } = CultureInfo.GetCultureInfo("pt-BR", predefinedOnly: false);

    /// <summary>One reason as a sentence in the language of <paramref name="culture"/>.</summary>
    public static string Format(RiskReason reason, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return IsPortuguese(culture) ? Portuguese(reason) : EnglishText(reason);
    }

    /// <summary>The reasons of an assessment as sentences, in their order.</summary>
    public static IReadOnlyList<string> Format(RiskAssessment assessment, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(culture);
        var texts = new string[assessment.Reasons.Count];
        for (var i = 0; i < texts.Length; i++)
            texts[i] = Format(assessment.Reasons[i], culture);
        return texts;
    }

    /// <summary>
    /// The language of explanations for an HTTP <c>Accept-Language</c> header: <see cref="BrazilianPortuguese"/> when
    /// the supported language with the highest q-value is Portuguese (pt, pt-BR, pt-PT, ...), otherwise
    /// <see cref="English"/>. <c>*</c> stands for English, q=0 means "not this one", ties go to the one listed first,
    /// and malformed entries are skipped; a missing or malformed header gives English. Never throws.
    /// </summary>
    public static CultureInfo ParseAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return English;
        var best = English;
        var bestQ = 0.0;
        foreach (var range in header.Split(','))
        {
            var parts = range.Split(';');
            var tag = parts[0].Trim();
            var q = 1.0;
            var valid = true;
            for (var i = 1; i < parts.Length && valid; i++)
            {
                var parameter = parts[i].Split('=');
                if (parameter.Length == 2 && parameter[0].Trim().Equals("q", StringComparison.OrdinalIgnoreCase))
                {
                    valid = double.TryParse(parameter[1].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out q)
                        && q <= 1;
                }
            }

            CultureInfo? culture = tag == "*" || IsLanguage(tag, "en") ? English
                : IsLanguage(tag, "pt") ? BrazilianPortuguese
                : null;
            if (valid && culture is not null && q > bestQ)
            {
                best = culture;
                bestQ = q;
            }
        }

        return best;
    }

    private static string EnglishText(RiskReason r) => r.Code switch
    {
        RiskReasonCode.HighAmount => $"High value transaction: {Money(r.Value, EnglishNumbers)} is above {Money(r.Threshold, EnglishNumbers)}",
        RiskReasonCode.ElevatedAmount => $"Elevated value transaction: {Money(r.Value, EnglishNumbers)} is above {Money(r.Threshold, EnglishNumbers)}",
        RiskReasonCode.MultipleIps => $"Multiple IPs used: {Number(r.Value, EnglishNumbers)} distinct IPs in the last hour",
        RiskReasonCode.HighVelocity =>
            $"High velocity: {Number(r.Value, EnglishNumbers)} transactions per minute in the last hour (limit {Number(r.Threshold, EnglishNumbers)})",
        RiskReasonCode.IrregularAmounts => $"Irregular amounts: standard deviation of {Money(r.Value, EnglishNumbers)} in the last hour",
        RiskReasonCode.NightActivity => $"Frequent night transactions: {Number(r.Value, EnglishNumbers)} at night in the last 24 hours",
        RiskReasonCode.NoRiskFactors => "No risk factors found",
        _ => throw new ArgumentOutOfRangeException(nameof(r), r.Code, null),
    };

    private static string Portuguese(RiskReason r) => r.Code switch
    {
        RiskReasonCode.HighAmount => $"Transação de alto valor: {Money(r.Value, PortugueseNumbers)} acima de {Money(r.Threshold, PortugueseNumbers)}",
        RiskReasonCode.ElevatedAmount => $"Transação de valor elevado: {Money(r.Value, PortugueseNumbers)} acima de {Money(r.Threshold, PortugueseNumbers)}",
        RiskReasonCode.MultipleIps => $"Múltiplos IPs utilizados: {Number(r.Value, PortugueseNumbers)} IPs distintos na última hora",
        RiskReasonCode.HighVelocity =>
            $"Alta velocidade: {Number(r.Value, PortugueseNumbers)} transações por minuto na última hora (limite {Number(r.Threshold, PortugueseNumbers)})",
        RiskReasonCode.IrregularAmounts => $"Valores irregulares: desvio padrão de {Money(r.Value, PortugueseNumbers)} na última hora",
        RiskReasonCode.NightActivity => $"Transações noturnas frequentes: {Number(r.Value, PortugueseNumbers)} à noite nas últimas 24 horas",
        RiskReasonCode.NoRiskFactors => "Nenhum fator de risco encontrado",
        _ => throw new ArgumentOutOfRangeException(nameof(r), r.Code, null),
    };

    private static string Money(double value, NumberFormatInfo numbers) => "R$ " + value.ToString("#,0.00", numbers);

    // Counts print as integers, rates with at most two decimals: 4, 2.5, 1.67.
    private static string Number(double value, NumberFormatInfo numbers) => value.ToString("#,0.##", numbers);

    internal static bool IsPortuguese(CultureInfo culture) => IsLanguage(culture.Name, "pt");

    /// <summary>The number format of explanations in <paramref name="culture"/>'s language.</summary>
    internal static NumberFormatInfo NumbersOf(CultureInfo culture) => IsPortuguese(culture) ? PortugueseNumbers : EnglishNumbers;

    // "pt", "pt-BR", "pt_BR", "PT-pt"; not "ptx".
    private static bool IsLanguage(string tag, string language) =>
        tag.StartsWith(language, StringComparison.OrdinalIgnoreCase)
        && (tag.Length == language.Length || tag[language.Length] is '-' or '_');

    private static NumberFormatInfo Numbers(string group, string decimalPoint)
    {
        var numbers = (NumberFormatInfo)NumberFormatInfo.InvariantInfo.Clone();
        numbers.NumberGroupSeparator = group;
        numbers.NumberDecimalSeparator = decimalPoint;
        return NumberFormatInfo.ReadOnly(numbers);
    }
}
