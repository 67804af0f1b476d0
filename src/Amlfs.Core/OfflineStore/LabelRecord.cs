namespace Amlfs.OfflineStore;

/// <summary>
/// One label of one transaction, with the instant it became known (architecture rule 11): a model trained with cut-off
/// C uses the label only when <see cref="KnownAtMs"/> is before C. Labels delivered with a dataset (the generator's,
/// the importers') are the <c>is_suspicious</c> and <c>typology</c> columns of the transaction files and are known when
/// the transaction is; labels that come later (a labels file, an analyst's disposition) are rows of the label table
/// (<see cref="DatasetLayout.LabelsDirectory"/>), and the latest row known before the cut-off decides.
/// </summary>
/// <param name="TransactionId">The labelled transaction of the offline store.</param>
/// <param name="IsSuspicious">True for laundering, false for a confirmed normal transaction.</param>
/// <param name="Typology">The laundering pattern, or <see cref="Typologies.None"/>.</param>
/// <param name="KnownAtMs">When the label became known, UTC milliseconds.</param>
/// <param name="Source">Where the label came from: <see cref="LabelSources"/> or a file's name.</param>
public sealed record LabelRecord(string TransactionId, bool IsSuspicious, string Typology, long KnownAtMs, string Source);
