using System.Globalization;
using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Server.Contracts;
using Amlfs.Server.Dashboard.Contracts;
using Amlfs.Server.Serving;
using Amlfs.Transactions;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The entity page: an entity's features now and as of an earlier instant (through the feature reader, as
/// <c>/features</c> reads them), their last hours as series, and its recent decisions and counterparties among the
/// decisions the process keeps.
/// </summary>
internal sealed class EntityQueries(
    ActiveDefinitions definitions, FeatureReader reader, IFeatureSource source, DecisionQueries decisions, TimeProvider clock)
{
    /// <summary>Recent decisions the page lists.</summary>
    public const int RecentCount = 50;

    /// <summary>Counterparties the page lists, the most frequent first.</summary>
    public const int CounterpartyCount = 20;

    /// <summary>The most points a series answers with.</summary>
    public const int MaxPoints = 300;

    public EntityPlan? Entity(string name) => definitions.Plan.Entity(name);

    /// <summary>The entity's page; <paramref name="atMs"/> adds its features as of that instant.</summary>
    public async Task<EntityDetail> DetailAsync(EntityPlan entity, string id, long? atMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var now = await reader.ReadAsync(entity, id, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        FeaturesResponse? at = null;
        string? atProblem = null;
        if (atMs is { } q)
        {
            atProblem = reader.AsOfProblem(q);
            if (atProblem is null)
            {
                try
                {
                    at = await reader.ReadAsync(entity, id, q, cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentOutOfRangeException)
                {
                    atProblem = reader.AsOfProblem(q) ?? "is outside the retained history";
                }
            }
        }

        var involving = decisions.Involving(entity.Name, id, decisions.Capacity);
        string? recentNote = null;
        if (!decisions.Decides)
            recentNote = "this process is an API replica that does not follow the workers' decisions (start it with --kafka), so it has no transactions to list";
        else if (entity.Name is not ("customer" or "merchant"))
            recentNote = $"a decision names its customer and its destination, not its {entity.Name}, so the transactions of this {entity.Name} are not listed";

        var definitionsByName = definitions.Registry.Definition.AllFeatures
            .Where(f => f.Entity == entity.Name)
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
        return new EntityDetail
        {
            Entity = entity.Name,
            Id = id,
            Now = now,
            At = at,
            AtProblem = atProblem,
            Features = [.. entity.Features.Select(f => Info(f.Name, definitionsByName))],
            Recent = [.. involving.Take(RecentCount).Select(decisions.Summary)],
            Counterparties = Counterparties(entity.Name, id, involving),
            RecentNote = recentNote,
        };
    }

    /// <summary>
    /// Every feature of the entity as of each step of the last <paramref name="hours"/> hours, the newest as of now.
    /// Instants older than the query history are left out and said in the note.
    /// </summary>
    public async Task<EntitySeries> SeriesAsync(EntityPlan entity, string id, int hours, int stepSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var spanMs = hours * 3_600_000L;
        var stepMs = Math.Max(stepSeconds * 1000L, (long)Math.Ceiling(spanMs / (double)(MaxPoints - 1)));
        var times = new List<long>();
        for (var t = nowMs - spanMs; t <= nowMs; t += stepMs)
            times.Add(t);
        if (times[^1] != nowMs)
            times.Add(nowMs);

        var columns = entity.Features.Select(_ => new List<double>(times.Count)).ToArray();
        var read = new List<long>(times.Count);
        var values = new double[entity.Features.Count];
        long? firstReadable = null;
        foreach (var t in times)
        {
            if (source.AsOfProblem(t) is not null)
                continue;
            try
            {
                await source.ReadAsync(entity, id, t, values, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentOutOfRangeException)
            {
                continue; // the history moved past t while reading
            }

            firstReadable ??= t;
            read.Add(t);
            for (var f = 0; f < values.Length; f++)
                columns[f].Add(values[f]);
        }

        var note = firstReadable is { } first && first > times[0]
            ? string.Create(CultureInfo.InvariantCulture, $"the query history starts at {DateTimeOffset.FromUnixTimeMilliseconds(first):O}: earlier instants cannot be read")
            : null;
        var features = new Dictionary<string, double[]>(entity.Features.Count, StringComparer.Ordinal);
        for (var f = 0; f < entity.Features.Count; f++)
            features[entity.Features[f].Name] = [.. columns[f]];
        return new EntitySeries { Entity = entity.Name, Id = id, StepSeconds = (int)(stepMs / 1000), T = read, Features = features, Note = note };
    }

    private static FeatureInfo Info(string name, Dictionary<string, FeatureDefinition> byName) =>
        byName.TryGetValue(name, out var d)
            ? new FeatureInfo(name, d.View, d.Family.Length == 0 ? null : d.Family, d.Description)
            : new FeatureInfo(name, "", null, "");

    private static CounterpartyView[] Counterparties(string entity, string id, IReadOnlyList<Amlfs.Decisions.Decision> involving) =>
        [.. involving
            .Select(d => d.CustomerId == id && entity == "customer"
                ? (Id: d.MerchantId, Entity: d.DestinationType == DestinationType.Account ? "customer" : "merchant", Direction: "out", Decision: d)
                : (Id: d.CustomerId, Entity: "customer", Direction: "in", Decision: d))
            .GroupBy(x => (x.Id, x.Entity, x.Direction))
            .Select(g => new CounterpartyView(
                g.Key.Id, g.Key.Entity, g.Key.Direction, g.Count(), g.Sum(x => x.Decision.AmountCents) / 100m, g.Max(x => x.Decision.Score),
                g.Count(x => x.Decision.Level == Amlfs.Scoring.RiskLevel.High)))
            .OrderByDescending(c => c.Transactions)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(CounterpartyCount)];
}
