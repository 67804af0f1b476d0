namespace Amlfs.Retention;

/// <summary>The names of the stores the retention sweep deletes from, as settings, reports and the audit trail spell them.</summary>
public static class RetentionStores
{
    public const string Transactions = "transactions";
    public const string Decisions = "decisions";
    public const string Labels = "labels";
    public const string FeatureLog = "feature_log";
    public const string DeadLetters = "dead_letters";

    /// <summary>Every swept store, in the order reports list them.</summary>
    public static readonly IReadOnlyList<string> All = [Transactions, Decisions, Labels, FeatureLog, DeadLetters];
}
