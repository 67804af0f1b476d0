namespace Amlfs.Registry;

/// <summary>The transaction fields that definitions may name: as an aggregation's field or as an entity's join key.</summary>
public enum TransactionField
{
    Amount,
    CustomerId,
    MerchantId,
    IpAddress,
    DeviceId,
    Country,
    Channel,
    PaymentFormat,
}
