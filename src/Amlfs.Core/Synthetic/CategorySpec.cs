namespace Amlfs.Synthetic;

/// <summary>
/// What the generator needs to know about a merchant category: its share of merchants, how large its amounts are
/// relative to a grocery purchase, how its customers pay (weights of pix, card, boleto, ted, in the order of
/// <see cref="Channels.All"/>), whether customers pay it in their own city, and the words its merchants are named with.
/// </summary>
internal sealed record CategorySpec(
    string Name, double Share, double AmountScale, double[] ChannelWeights, bool Local, string[] NamePrefixes)
{
    public static readonly CategorySpec[] Table =
    [
        new(MerchantCategories.Grocery, 0.20, 1.0, [35, 60, 3, 2], true, ["Mercado", "Supermercado", "Empório", "Hortifruti"]),
        new(MerchantCategories.Restaurant, 0.16, 0.5, [35, 65, 0, 0], true, ["Restaurante", "Lanchonete", "Pizzaria", "Padaria"]),
        new(MerchantCategories.Fuel, 0.08, 1.4, [30, 70, 0, 0], true, ["Posto", "Auto Posto"]),
        new(MerchantCategories.Pharmacy, 0.08, 0.6, [30, 70, 0, 0], true, ["Farmácia", "Drogaria"]),
        new(MerchantCategories.Clothing, 0.08, 1.6, [35, 60, 5, 0], true, ["Loja", "Boutique", "Modas"]),
        new(MerchantCategories.Electronics, 0.06, 4.0, [40, 45, 13, 2], false, ["Eletro", "Tecno", "Digital"]),
        new(MerchantCategories.Marketplace, 0.10, 1.5, [50, 40, 10, 0], false, ["Shop", "Mercado Online", "Compras"]),
        new(MerchantCategories.Utilities, 0.06, 2.0, [40, 10, 50, 0], false, ["Energia", "Saneamento", "Telecom"]),
        new(MerchantCategories.Travel, 0.04, 6.0, [30, 65, 5, 0], false, ["Viagens", "Turismo"]),
        new(MerchantCategories.MoneyTransfer, 0.08, 3.0, [75, 0, 0, 25], false, ["Pagamentos", "Remessas", "Pay"]),
        new(MerchantCategories.CryptoExchange, 0.03, 4.0, [80, 0, 0, 20], false, ["Crypto", "Bit", "Cripto"]),
        new(MerchantCategories.Gambling, 0.03, 0.8, [90, 10, 0, 0], false, ["Bet", "Apostas", "Sorte"]),
    ];

    /// <summary>Index in <see cref="Table"/> of the category named <paramref name="name"/>.</summary>
    public static int IndexOf(string name) => Array.FindIndex(Table, c => c.Name == name);
}
