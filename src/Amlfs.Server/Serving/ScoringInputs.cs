using Amlfs.Engine;

namespace Amlfs.Server.Serving;

/// <summary>The feature values one transaction is scored with, as of its time, filled by an <see cref="IFeatureSource"/>.</summary>
internal sealed class ScoringInputs(EntityPlan customer, EntityPlan? merchant)
{
    /// <summary>The customer's values in the plan's value layout (length <c>ValueCount</c>), request features included.</summary>
    public double[] CustomerValues { get; } = new double[customer.ValueCount];

    public EntityRead Customer { get; set; }

    /// <summary>The merchant's stored features in <c>Features</c> order; empty when the definitions have no merchant.</summary>
    public double[] MerchantFeatures { get; } = merchant is null ? [] : new double[merchant.Features.Count];

    public EntityRead Merchant { get; set; }
}
