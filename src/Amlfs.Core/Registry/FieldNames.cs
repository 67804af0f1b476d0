namespace Amlfs.Registry;

/// <summary>The snake_case spelling of transaction fields in definitions files.</summary>
public static class FieldNames
{
    private static readonly Dictionary<string, TransactionField> ByName = new(StringComparer.Ordinal)
    {
        ["amount"] = TransactionField.Amount,
        ["customer_id"] = TransactionField.CustomerId,
        ["merchant_id"] = TransactionField.MerchantId,
        ["ip_address"] = TransactionField.IpAddress,
        ["device_id"] = TransactionField.DeviceId,
        ["country"] = TransactionField.Country,
        ["channel"] = TransactionField.Channel,
        ["payment_format"] = TransactionField.PaymentFormat,
        ["currency"] = TransactionField.Currency,
        ["counterparty_id"] = TransactionField.CounterpartyId,
    };

    public static string List => string.Join(", ", ByName.Keys);

    /// <summary>Fields an entity may be joined on: every field but amount and the counterparty.</summary>
    public static string JoinKeyList => string.Join(", ", ByName.Keys.Where(k => k is not ("amount" or "counterparty_id")));

    /// <summary>Fields a distinct count may count: every field but amount.</summary>
    public static string DistinctFieldList => string.Join(", ", ByName.Keys.Where(k => k != "amount"));

    public static TransactionField? TryParse(string name) => ByName.TryGetValue(name, out var field) ? field : null;

    public static string Name(TransactionField field) => ByName.First(p => p.Value == field).Key;
}
