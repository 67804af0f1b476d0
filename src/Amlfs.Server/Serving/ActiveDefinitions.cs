using Amlfs.Engine;
using Amlfs.Storage;

namespace Amlfs.Server.Serving;

/// <summary>
/// The definitions this process serves, read once at start: the active registry version, its compiled plan, and the two
/// entities the API reads and scores.
/// </summary>
internal sealed class ActiveDefinitions
{
    public ActiveDefinitions(RegistryVersion registry)
    {
        Registry = registry;
        Plan = FeaturePlan.Compile(registry.Definition);
        Customer = Plan.Entity("customer");
        Merchant = Plan.Entity("merchant");
    }

    public RegistryVersion Registry { get; }

    public FeaturePlan Plan { get; }

    /// <summary>The customer entity, or null when the definitions have none (scoring is then off).</summary>
    public EntityPlan? Customer { get; }

    public EntityPlan? Merchant { get; }
}
