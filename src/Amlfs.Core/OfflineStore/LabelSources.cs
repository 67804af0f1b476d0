namespace Amlfs.OfflineStore;

/// <summary>The sources a <see cref="LabelRecord"/> names.</summary>
public static class LabelSources
{
    /// <summary>The ground truth delivered with generated or imported transactions, known when the transaction is.</summary>
    public const string Dataset = "dataset";

    /// <summary>An analyst's disposition of a closed case.</summary>
    public const string Case = "case";
}
