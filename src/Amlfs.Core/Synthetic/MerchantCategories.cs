namespace Amlfs.Synthetic;

/// <summary>The categories of synthetic merchants.</summary>
public static class MerchantCategories
{
    public const string Grocery = "grocery";
    public const string Restaurant = "restaurant";
    public const string Fuel = "fuel";
    public const string Pharmacy = "pharmacy";
    public const string Clothing = "clothing";
    public const string Electronics = "electronics";
    public const string Marketplace = "marketplace";
    public const string Utilities = "utilities";
    public const string Travel = "travel";
    public const string MoneyTransfer = "money_transfer";
    public const string CryptoExchange = "crypto_exchange";
    public const string Gambling = "gambling";

    public static IReadOnlyList<string> All { get; } = CategorySpec.Table.Select(c => c.Name).ToArray();
}
