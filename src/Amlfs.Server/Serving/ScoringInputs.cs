using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Transactions;

namespace Amlfs.Server.Serving;

/// <summary>
/// The feature values one transaction is scored with, as of its time, filled by an <see cref="IFeatureSource"/>: one
/// group per entity type of the scoring layout (<see cref="ModelInputLayout.Entities"/>, the customer first), each the
/// entity's values in its plan's value layout with the request features evaluated.
/// </summary>
internal sealed class ScoringInputs
{
    public ScoringInputs(ModelInputLayout layout, Transaction transaction)
    {
        var entities = layout.Entities;
        Values = new double[entities.Count][];
        Ids = new string?[entities.Count];
        Reads = new EntityRead[entities.Count];
        for (var g = 0; g < entities.Count; g++)
        {
            Values[g] = new double[entities[g].ValueCount];
            Ids[g] = FeatureEngine.FieldOf(transaction, entities[g].JoinKey);
        }
    }

    /// <summary>Per group, the entity's values (length <c>ValueCount</c>), request features included.</summary>
    public double[][] Values { get; }

    /// <summary>
    /// Per group, the id the transaction names by the entity's join key; null when it lacks that field (a payment
    /// without an IP): the entity then reads as unknown, as one without events.
    /// </summary>
    public string?[] Ids { get; }

    /// <summary>Per group, what the read found besides the values.</summary>
    public EntityRead[] Reads { get; }
}
