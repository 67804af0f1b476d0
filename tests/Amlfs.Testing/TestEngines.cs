using Amlfs.Engine;
using Amlfs.Registry;

namespace Amlfs.Testing;

/// <summary>Engines over the default definitions (or given ones) for tests.</summary>
public static class TestEngines
{
    public static RegistryDefinition Default { get; } = DefinitionsLoader.LoadDefault();

    /// <summary>An engine that applies each event on the caller's thread before Ingest returns.</summary>
    public static FeatureEngine Inline(RegistryDefinition? definition = null, TimeProvider? clock = null,
        Func<EngineOptions, EngineOptions>? configure = null)
    {
        definition ??= Default;
        var options = EngineOptions.From(definition) with { Threaded = false, ShardCount = 2 };
        return new FeatureEngine(FeaturePlan.Compile(definition), configure?.Invoke(options) ?? options, clock);
    }

    /// <summary>Features of an entity as of q, by name.</summary>
    public static Dictionary<string, double> Features(this FeatureEngine engine, string entity, string id, long q)
    {
        var plan = engine.Plan.Entity(entity)!;
        var values = new double[plan.Features.Count];
        engine.Read(plan, id, q, values);
        return plan.Features.Select((f, i) => (f.Name, Value: values[i])).ToDictionary(p => p.Name, p => p.Value);
    }
}
