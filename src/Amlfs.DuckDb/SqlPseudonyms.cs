using Amlfs.Privacy;

namespace Amlfs.DuckDb;

/// <summary>
/// What <see cref="OfflineSql"/> shows in place of IP addresses and device ids: their pseudonyms, with the names of the
/// entity types joined on each (whose feature log's <c>entity_id</c> is an IP address or a device id).
/// </summary>
/// <param name="Pseudonyms">The data directory's pseudonymizer.</param>
/// <param name="IpEntities">Entity types joined on <c>ip_address</c>, e.g. <c>ip</c>.</param>
/// <param name="DeviceEntities">Entity types joined on <c>device_id</c>, e.g. <c>device</c>.</param>
public sealed record SqlPseudonyms(Pseudonymizer Pseudonyms, IReadOnlySet<string> IpEntities, IReadOnlySet<string> DeviceEntities);
