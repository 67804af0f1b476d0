using Amlfs.Engine;

namespace Amlfs.Parquet.Training;

/// <summary>
/// The offline store's transactions as columns in event-time order (ties in file order: partition date, file name,
/// row), with their labels. <see cref="IsSuspicious"/> is null for unlabelled rows, which are history only.
/// </summary>
/// <param name="History">The transactions, as the replay reads them.</param>
/// <param name="IsSuspicious">Each transaction's label, null when unlabelled.</param>
/// <param name="Typologies">Each labelled transaction's typology (null for unlabelled ones, and when the files carry none).</param>
/// <param name="Files">Parquet files read.</param>
public sealed record OfflineHistory(ReplayHistory History, bool?[] IsSuspicious, string?[] Typologies, int Files);
