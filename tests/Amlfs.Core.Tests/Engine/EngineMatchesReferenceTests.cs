using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Testing;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// Random definitions and random streams (out of order within and beyond the lateness, duplicates with the same or
/// other content, equal timestamps, missing IPs, long gaps that expire state, future events) through the engine and
/// through the brute-force <see cref="ReferenceModel"/>: every ingest decision and every feature at many query times,
/// window edges included, must be equal to the bit.
/// </summary>
public sealed class EngineMatchesReferenceTests
{
    [Fact]
    public void The_engine_equals_the_brute_force_reference_for_random_definitions_and_streams()
    {
        EngineScenarios.GenScenario.Sample(s => Check(s.Definition, s.Steps, s.Start, s.Shards, s.ClockAt, threaded: false),
            iter: EngineScenarios.Iterations(150));
    }

    [Fact]
    public void A_threaded_engine_equals_the_reference_once_flushed()
    {
        EngineScenarios.GenScenario.Sample(s => Check(s.Definition, s.Steps, s.Start, s.Shards, s.ClockAt, threaded: true),
            iter: EngineScenarios.Iterations(25));
    }

    private static void Check(RegistryDefinition definition, EngineScenarioStep[] steps, long start, int shards, double clockAt, bool threaded)
    {
        var stream = EngineScenarios.BuildStream(steps, start);
        var span = stream.Max(t => t.Transaction.TimestampMs) - start;
        var clockMs = start + (long)(span * clockAt);
        var plan = FeaturePlan.Compile(definition);
        var options = EngineOptions.From(definition) with { Threaded = threaded, ShardCount = shards, QueueCapacity = 16 };
        using var engine = new FeatureEngine(plan, options, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(clockMs)));
        var reference = new ReferenceModel(definition, clockMs);
        EngineScenarios.Feed(engine, reference, stream, threaded,
            transaction => CompareAt(engine, reference, definition, plan, EngineScenarios.QueryTimes(reference.Accepted, definition, transaction.TimestampMs)));
        CompareAt(engine, reference, definition, plan, EngineScenarios.QueryTimes(reference.Accepted, definition, null));
    }

    private static void CompareAt(FeatureEngine engine, ReferenceModel reference, RegistryDefinition definition,
        FeaturePlan plan, List<long> times)
    {
        engine.Flush();
        var probes = EngineScenarios.Probes(reference.Accepted);
        foreach (var entity in plan.Entities)
        {
            var ids = EngineScenarios.IdsOf(entity);
            var actual = new double[entity.Features.Count];
            var values = new double[entity.ValueCount];
            foreach (var id in ids)
            {
                foreach (var q in times)
                {
                    var expected = reference.Features(entity.Name, id, q);
                    engine.Read(entity, id, q, actual);
                    EngineScenarios.AssertBitEqual(entity, id, q, definition, expected, actual, "reference", "engine");
                    if (entity.RequestFeatures.Count == 0)
                        continue;
                    foreach (var probe in probes)
                    {
                        engine.Evaluate(entity, id, q, values, new(q, (double)probe.Amount, FeatureEngine.RequestFieldsOf(probe)));
                        EngineScenarios.AssertRequestBitEqual(entity, id, q, probe, reference.RequestFeatures(entity.Name, id, q, probe),
                            entity.RequestValues(values), "reference", "engine");
                    }
                }
            }
        }
    }
}
