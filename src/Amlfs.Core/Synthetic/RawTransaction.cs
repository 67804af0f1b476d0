using Amlfs.OfflineStore;
using Amlfs.Transactions;

namespace Amlfs.Synthetic;

/// <summary>
/// A transaction while its day is being generated: indexes instead of strings where a table holds the strings, no id
/// yet (ids follow the final order). <see cref="Customer"/> is an account index (<see cref="Population.AccountId"/>);
/// <see cref="Merchant"/> is a merchant index, or an account index when <see cref="Destination"/> is
/// <see cref="DestinationType.Account"/>. <see cref="Typology"/> is 0 for normal, else 1 + the index in
/// <see cref="Typologies.All"/>.
/// </summary>
internal struct RawTransaction
{
    public long TimestampMs;
    public long AmountCents;
    public int Customer;
    public int Merchant;
    public string? IpAddress;
    public string? DeviceId;
    public string Country;
    public byte Channel;
    public byte PaymentFormat;
    public byte Typology;
    public DestinationType Destination;
}
