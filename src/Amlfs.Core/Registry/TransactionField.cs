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

    /// <summary>
    /// The other end of the edge, seen from the entity: the destination of an outflow (a merchant or an account), the
    /// source account of an inflow, the source account of a transaction to a merchant entity. Not a column: a distinct
    /// count of it is fan-out or fan-in.
    /// </summary>
    CounterpartyId,

    /// <summary>The ISO 4217 currency code; never missing (BRL when the caller gave none).</summary>
    Currency,
}
