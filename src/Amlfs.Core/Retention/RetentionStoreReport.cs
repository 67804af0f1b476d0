namespace Amlfs.Retention;

/// <summary>What one sweep found expired in one store.</summary>
/// <param name="Store">One of <see cref="RetentionStores"/>.</param>
/// <param name="Period">The store's retention period.</param>
/// <param name="Cutoff">The first UTC day kept: days before it are entirely older than the period.</param>
/// <param name="Expired">The day partitions or files expired, relative to the data directory, with <c>/</c> separators, in order.</param>
public sealed record RetentionStoreReport(string Store, TimeSpan Period, DateOnly Cutoff, IReadOnlyList<string> Expired);
