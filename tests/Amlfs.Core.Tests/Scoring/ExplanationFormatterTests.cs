using System.Globalization;
using Amlfs.Scoring;
using CsCheck;

namespace Amlfs.Core.Tests.Scoring;

public sealed class ExplanationFormatterTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");
    private static readonly CultureInfo Portuguese = CultureInfo.GetCultureInfo("pt-BR");

    [Theory]
    [InlineData(RiskReasonCode.HighAmount, 12_500, 10_000, "High value transaction: R$ 12,500.00 is above R$ 10,000.00")]
    [InlineData(RiskReasonCode.ElevatedAmount, 8_750, 5_000, "Elevated value transaction: R$ 8,750.00 is above R$ 5,000.00")]
    [InlineData(RiskReasonCode.MultipleIps, 4, 3, "Multiple IPs used: 4 distinct IPs in the last hour")]
    [InlineData(RiskReasonCode.HighVelocity, 2.5, 1.5, "High velocity: 2.5 transactions per minute in the last hour (limit 1.5)")]
    [InlineData(RiskReasonCode.HighVelocity, 1.6666666, 1.5, "High velocity: 1.67 transactions per minute in the last hour (limit 1.5)")]
    [InlineData(RiskReasonCode.IrregularAmounts, 3_250, 3_000, "Irregular amounts: standard deviation of R$ 3,250.00 in the last hour")]
    [InlineData(RiskReasonCode.NightActivity, 5, 3, "Frequent night transactions: 5 at night in the last 24 hours")]
    [InlineData(RiskReasonCode.NoRiskFactors, 0, 0, "No risk factors found")]
    public void English_explanations_state_the_facts(RiskReasonCode code, double value, double threshold, string text)
    {
        Assert.Equal(text, ExplanationFormatter.Format(new RiskReason(code, value, threshold, 0.1), English));
    }

    [Theory]
    [InlineData(RiskReasonCode.HighAmount, 12_500, 10_000, "Transação de alto valor: R$ 12.500,00 acima de R$ 10.000,00")]
    [InlineData(RiskReasonCode.ElevatedAmount, 8_750, 5_000, "Transação de valor elevado: R$ 8.750,00 acima de R$ 5.000,00")]
    [InlineData(RiskReasonCode.MultipleIps, 4, 3, "Múltiplos IPs utilizados: 4 IPs distintos na última hora")]
    [InlineData(RiskReasonCode.HighVelocity, 2.5, 1.5, "Alta velocidade: 2,5 transações por minuto na última hora (limite 1,5)")]
    [InlineData(RiskReasonCode.IrregularAmounts, 3_250.5, 3_000, "Valores irregulares: desvio padrão de R$ 3.250,50 na última hora")]
    [InlineData(RiskReasonCode.NightActivity, 5, 3, "Transações noturnas frequentes: 5 à noite nas últimas 24 horas")]
    [InlineData(RiskReasonCode.NoRiskFactors, 0, 0, "Nenhum fator de risco encontrado")]
    public void Portuguese_explanations_state_the_facts(RiskReasonCode code, double value, double threshold, string text)
    {
        Assert.Equal(text, ExplanationFormatter.Format(new RiskReason(code, value, threshold, 0.1), Portuguese));
    }

    [Fact]
    public void Money_is_written_with_brazilian_grouping_and_decimal_comma()
    {
        var reason = new RiskReason(RiskReasonCode.HighAmount, 1_234_567.891, 10_000, 0.3);

        Assert.Equal("Transação de alto valor: R$ 1.234.567,89 acima de R$ 10.000,00", ExplanationFormatter.Format(reason, Portuguese));
        Assert.Equal("High value transaction: R$ 1,234,567.89 is above R$ 10,000.00", ExplanationFormatter.Format(reason, English));
    }

    [Theory]
    [InlineData("pt", true)]
    [InlineData("pt-PT", true)]
    [InlineData("pt-BR", true)]
    [InlineData("en-GB", false)]
    [InlineData("fr-FR", false)]
    [InlineData("de-DE", false)]
    [InlineData("", false)]
    public void Any_portuguese_culture_gives_portuguese_and_every_other_english(string culture, bool portuguese)
    {
        var reason = new RiskReason(RiskReasonCode.ElevatedAmount, 8_750, 5_000, 0.15);

        var text = ExplanationFormatter.Format(reason, CultureInfo.GetCultureInfo(culture));

        Assert.Equal(portuguese ? "Transação de valor elevado: R$ 8.750,00 acima de R$ 5.000,00" : "Elevated value transaction: R$ 8,750.00 is above R$ 5,000.00", text);
    }

    [Fact]
    public void An_assessment_is_explained_reason_by_reason_in_order()
    {
        var model = new RulesRiskModel(RulesModelSettings.Default, ["unique_ips_1h", "night_txn_count_24h"]);
        var assessment = model.Score([4, 5], 12_500m);

        Assert.Equal(
            ["Transação de alto valor: R$ 12.500,00 acima de R$ 10.000,00", "Múltiplos IPs utilizados: 4 IPs distintos na última hora",
                "Transações noturnas frequentes: 5 à noite nas últimas 24 horas"],
            ExplanationFormatter.Format(assessment, ExplanationFormatter.BrazilianPortuguese));
        Assert.Equal(["No risk factors found"], ExplanationFormatter.Format(model.Score([0, 0], 10m), ExplanationFormatter.English));
    }

    [Theory]
    [InlineData(null, "en")]
    [InlineData("", "en")]
    [InlineData("   ", "en")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("pt", "pt-BR")]
    [InlineData("pt-PT", "pt-BR")]
    [InlineData(" PT-br ; q=1 ", "pt-BR")]
    [InlineData("en-US", "en")]
    [InlineData("fr-FR", "en")]
    [InlineData("en-US,pt;q=0.9", "en")]
    [InlineData("pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7", "pt-BR")]
    [InlineData("en;q=0.5, pt;q=0.8", "pt-BR")]
    [InlineData("fr-FR, de;q=0.9, pt;q=0.5", "pt-BR")]
    [InlineData("en;q=0.8, pt;q=0.8", "en")]
    [InlineData("pt;q=0.8, en;q=0.8", "pt-BR")]
    [InlineData("*", "en")]
    [InlineData("*;q=0.5, pt;q=0.9", "pt-BR")]
    [InlineData("pt;q=0.9, *", "en")]
    [InlineData("pt;q=0", "en")]
    [InlineData("pt;q=0, en;q=0", "en")]
    [InlineData("pt;q=2", "en")]
    [InlineData("pt;q=-1", "en")]
    [InlineData("pt;q=abc, fr", "en")]
    [InlineData("ptx, portuguese", "en")]
    [InlineData("en;level=1;q=0.4, pt_BR;q=0.6", "pt-BR")]
    [InlineData(";;;,,,=;q=;", "en")]
    [InlineData("q=0.5", "en")]
    public void Accept_language_picks_portuguese_only_when_it_is_the_preferred_supported_language(string? header, string culture)
    {
        Assert.Equal(culture, ExplanationFormatter.ParseAcceptLanguage(header).Name);
    }

    [Fact]
    public void Accept_language_parsing_never_throws()
    {
        Gen.String.Sample(header => Assert.NotNull(ExplanationFormatter.ParseAcceptLanguage(header)));
        Gen.OneOf(Gen.Const("pt"), Gen.Const("en"), Gen.Const("*"), Gen.Const(";"), Gen.Const(","), Gen.Const("q="), Gen.Const("0.5"), Gen.Const(" "), Gen.Const("-BR")).Array[0, 12]
            .Select(parts => string.Concat(parts))
            .Sample(header => Assert.NotNull(ExplanationFormatter.ParseAcceptLanguage(header)));
    }
}
