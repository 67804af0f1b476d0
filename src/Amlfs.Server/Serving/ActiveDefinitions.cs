using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Storage;

namespace Amlfs.Server.Serving;

/// <summary>
/// The definitions this process serves, read once at start: the active registry version, its compiled plan, the
/// customer and merchant entities the API names in its routes, and the layout of what scoring reads (every entity type).
/// </summary>
internal sealed class ActiveDefinitions
{
    public ActiveDefinitions(RegistryVersion registry)
    {
        Registry = registry;
        Plan = FeaturePlan.Compile(registry.Definition);
        Customer = Plan.Entity("customer");
        Merchant = Plan.Entity("merchant");
        Layout = Customer is null ? null : ModelInputLayout.Of(Plan);
    }

    public RegistryVersion Registry { get; }

    public FeaturePlan Plan { get; }

    /// <summary>The customer entity, or null when the definitions have none (scoring is then off).</summary>
    public EntityPlan? Customer { get; }

    public EntityPlan? Merchant { get; }

    /// <summary>
    /// What scoring reads, in order: every entity type the transaction names by its join key, the customer first, and
    /// the amount; a learned model's inputs are among its names. Null when there is no customer (scoring is then off).
    /// </summary>
    public ModelInputLayout? Layout { get; }
}
