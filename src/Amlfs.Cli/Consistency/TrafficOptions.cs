namespace Amlfs.Cli.Consistency;

/// <summary>How much traffic <see cref="ConsistencyTraffic"/> sends, and from how many concurrent clients.</summary>
internal sealed record TrafficOptions(int Transactions, int Requests, int Seed, int Clients);
