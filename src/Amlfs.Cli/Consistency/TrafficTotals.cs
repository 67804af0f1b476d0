namespace Amlfs.Cli.Consistency;

/// <summary>What <see cref="ConsistencyTraffic"/> sent and what the server answered.</summary>
internal sealed record TrafficTotals(
    long Transactions, long Accepted, long Duplicates, long Rejected, long Predicts, long Recorded, long FeatureReads,
    long VectorsServed);
