namespace Amlfs.OfflineStore;

/// <summary>The sources a <see cref="LabelRecord"/> names.</summary>
public static class LabelSources
{
    /// <summary>The ground truth delivered with generated or imported transactions, known when the transaction is.</summary>
    public const string Dataset = "dataset";

    /// <summary>An analyst's disposition of a closed case; a row names its case as <see cref="ForCase"/> writes it.</summary>
    public const string Case = "case";

    /// <summary>The source of the labels of case <paramref name="caseId"/>: <c>case:CASE-000123</c>.</summary>
    public static string ForCase(string caseId) => Case + ":" + caseId;

    /// <summary>The case a label row's source names, or null when it did not come from a case.</summary>
    public static string? CaseOf(string source) =>
        source is not null && source.StartsWith(Case + ":", StringComparison.Ordinal) ? source[(Case.Length + 1)..] : null;
}
