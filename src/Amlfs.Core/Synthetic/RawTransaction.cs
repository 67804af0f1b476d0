using Amlfs.OfflineStore;

namespace Amlfs.Synthetic;

/// <summary>
/// A transaction while its day is being generated: indexes instead of strings where a table holds the strings, no id
/// yet (ids follow the final order). <see cref="Typology"/> is 0 for normal, else 1 + the index in
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
}
