namespace Amlfs.Retention;

/// <summary>What one retention sweep deleted (or, in a dry run, would have deleted), store by store.</summary>
/// <param name="Now">The instant the periods were counted back from.</param>
/// <param name="DryRun">True when nothing was deleted.</param>
/// <param name="Stores">One report per store of <see cref="RetentionStores.All"/>, in that order.</param>
public sealed record RetentionReport(DateTimeOffset Now, bool DryRun, IReadOnlyList<RetentionStoreReport> Stores)
{
    /// <summary>Day partitions and files expired across every store.</summary>
    public int Expired => Stores.Sum(s => s.Expired.Count);
}
