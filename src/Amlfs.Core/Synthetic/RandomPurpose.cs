namespace Amlfs.Synthetic;

/// <summary>Separates the random streams of different kinds of work that share coordinates.</summary>
internal enum RandomPurpose
{
    Merchant = 1,
    Customer = 2,
    CustomerDay = 3,
    TypologyCount = 4,
    TypologyInstance = 5,
    LiveBurst = 6,
    Contacts = 7,
    FreshAccount = 8,
}
