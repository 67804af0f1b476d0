namespace Amlfs.Transactions;

/// <summary>
/// What the destination of a transaction (its <c>merchant_id</c>) is: a merchant, or another account of the same key
/// space as <c>customer_id</c>. A transfer to an account is an edge between two accounts: the receiving account's own
/// features see it as an inflow (see docs/graph.md).
/// </summary>
public enum DestinationType : byte
{
    Merchant = 0,
    Account = 1,
}

/// <summary>The wire spelling of <see cref="DestinationType"/>: <c>merchant</c> and <c>account</c>.</summary>
public static class DestinationTypes
{
    public const string Merchant = "merchant";
    public const string Account = "account";

    public static string Name(DestinationType type) => type == DestinationType.Account ? Account : Merchant;

    /// <summary>The type a wire value names (case-insensitive), or null for anything else.</summary>
    public static DestinationType? TryParse(string? text) => text is null ? null : TryParse(text.AsSpan());

    /// <summary>As <see cref="TryParse(string)"/>, of characters that need not be a string.</summary>
    public static DestinationType? TryParse(ReadOnlySpan<char> text) =>
        text.Equals(Merchant, StringComparison.OrdinalIgnoreCase) ? DestinationType.Merchant
        : text.Equals(Account, StringComparison.OrdinalIgnoreCase) ? DestinationType.Account
        : null;
}
