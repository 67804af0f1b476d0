using System.Globalization;

namespace Amlfs.Parquet.Import;

/// <summary>
/// Reads an amount for the offline store, which keeps money in cents (the contract's rule 4). An amount with more
/// decimals (Bitcoin's 0.025852) is rounded half to even to the cent, the rounding that adds no bias over many rows, and
/// counted; one that rounds to 0.00 is rejected, since a transaction of nothing would still count in every window.
/// </summary>
internal static class ImportAmount
{
    /// <summary>The amount rounded to the cent, or null with <paramref name="error"/> naming <paramref name="field"/>.</summary>
    public static decimal? Parse(string text, string field, string currency, out bool rounded, out string? error)
    {
        rounded = false;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            error = $"{field}: '{text}' is not a number";
            return null;
        }

        if (amount <= 0)
        {
            error = $"{field}: '{text}' must be greater than 0";
            return null;
        }

        var cents = decimal.Round(amount, 2, MidpointRounding.ToEven);
        if (cents == 0)
        {
            error = $"{field}: '{text}' rounds to 0.00 {currency}";
            return null;
        }

        rounded = cents != amount;
        error = null;
        return cents;
    }
}
