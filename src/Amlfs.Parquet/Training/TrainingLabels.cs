using Amlfs.Engine;
using Amlfs.OfflineStore;

namespace Amlfs.Parquet.Training;

/// <summary>
/// The label each transaction of the offline store has for a model with a given cut-off (architecture rule 11): its
/// dataset label (the transaction files' <c>is_suspicious</c>, known when the transaction is) and the label table's
/// rows, of which only those known before the cut-off count; for each transaction the latest label known wins (a tie
/// goes to the row read last: the table after the dataset, a later file after an earlier one). A transaction with no
/// label known before the cut-off stays unlabelled: history, never a negative.
/// </summary>
public sealed class TrainingLabels
{
    private TrainingLabels(bool?[] isSuspicious, string?[] typologies, string?[] transactionIds, long applied, long afterCutoff, long unmatched)
    {
        IsSuspicious = isSuspicious;
        Typologies = typologies;
        TransactionIds = transactionIds;
        Applied = applied;
        AfterCutoff = afterCutoff;
        Unmatched = unmatched;
    }

    /// <summary>Each history row's label, null when none is known before the cut-off.</summary>
    public bool?[] IsSuspicious { get; }

    /// <summary>Each history row's typology (empty for a normal transaction), null when unlabelled.</summary>
    public string?[] Typologies { get; }

    /// <summary>Each history row's transaction id where it is known (the history keeps ids of labelled rows only).</summary>
    public string?[] TransactionIds { get; }

    /// <summary>Label table rows that labelled a transaction.</summary>
    public long Applied { get; }

    /// <summary>Label table rows known at or after the cut-off, so not used.</summary>
    public long AfterCutoff { get; }

    /// <summary>Label table rows whose transaction is not in the store.</summary>
    public long Unmatched { get; }

    /// <summary>
    /// Resolves the labels of <paramref name="store"/> with the label rows <paramref name="table"/> (the store's label
    /// table and any labels file) for a model whose cut-off is <paramref name="cutoffMs"/> (exclusive; null: none).
    /// </summary>
    public static TrainingLabels Resolve(OfflineHistory store, IReadOnlyList<LabelRecord> table, long? cutoffMs)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(table);
        var history = store.History;
        var n = history.Count;
        var labels = new bool?[n];
        var typologies = new string?[n];
        var knownAt = new long[n];
        var ids = (string?[])history.TransactionIds.Clone();
        var afterCutoff = 0L;
        for (var i = 0; i < n; i++)
        {
            if (store.IsSuspicious[i] is not { } label)
                continue;
            if (cutoffMs is { } c && history.TimesMs[i] >= c)
                continue;

            labels[i] = label;
            typologies[i] = store.Typologies[i] ?? OfflineStore.Typologies.None;
            knownAt[i] = history.TimesMs[i];
        }

        var applied = 0L;
        var unmatched = 0L;
        if (table.Count > 0)
        {
            var rows = RowsByFingerprint(history, table);
            // In order of knowledge (stable: equal instants keep reading order), so the last applied is the latest known.
            foreach (var record in table.OrderBy(r => r.KnownAtMs))
            {
                if (cutoffMs is { } c && record.KnownAtMs >= c)
                {
                    afterCutoff++;
                    continue;
                }

                if (!rows.TryGetValue(ReplayHistory.TransactionIdFingerprint(record.TransactionId), out var matches))
                {
                    unmatched++;
                    continue;
                }

                foreach (var i in matches)
                {
                    if (labels[i] is not null && knownAt[i] > record.KnownAtMs)
                        continue;
                    labels[i] = record.IsSuspicious;
                    typologies[i] = record.Typology;
                    knownAt[i] = record.KnownAtMs;
                    ids[i] ??= record.TransactionId;
                }

                applied++;
            }
        }

        return new TrainingLabels(labels, typologies, ids, applied, afterCutoff, unmatched);
    }

    /// <summary>The history rows of each transaction id the table names, found by fingerprint in one pass.</summary>
    private static Dictionary<UInt128, List<int>> RowsByFingerprint(ReplayHistory history, IReadOnlyList<LabelRecord> table)
    {
        var rows = new Dictionary<UInt128, List<int>>();
        foreach (var record in table)
            rows.TryAdd(ReplayHistory.TransactionIdFingerprint(record.TransactionId), []);
        for (var i = 0; i < history.Count; i++)
        {
            var fingerprint = history.TransactionIdFingerprints is { } fingerprints
                ? fingerprints[i]
                : ReplayHistory.TransactionIdFingerprint(history.TransactionIds[i]);
            if (rows.TryGetValue(fingerprint, out var list))
                list.Add(i);
        }

        return rows.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => p.Value);
    }
}
