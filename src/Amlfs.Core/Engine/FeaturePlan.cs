using Amlfs.Registry;
using Amlfs.Registry.Expressions;

namespace Amlfs.Engine;

/// <summary>
/// Definitions compiled once for the engine: per entity type, the aggregates, range slots, tile families and distinct
/// fields that each event updates and each read evaluates, and the bound expressions of derived and request features.
/// </summary>
public sealed class FeaturePlan
{
    private FeaturePlan(RegistryDefinition definition, TimeZoneInfo timeZone, EntityPlan[] entities)
    {
        Definition = definition;
        TimeZone = timeZone;
        Entities = entities;
    }

    public RegistryDefinition Definition { get; }

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlyList<EntityPlan> Entities { get; }

    /// <summary>The plan of an entity type by name, or null.</summary>
    public EntityPlan? Entity(string name) => Entities.FirstOrDefault(e => e.Name == name);

    /// <summary>
    /// Reads definitions text and compiles it: the whole validation of a definitions file, every problem (the
    /// reader's and the compiler's) reported with its line in one <see cref="DefinitionException"/>.
    /// </summary>
    public static FeaturePlan Load(string text, string file) => Compile(DefinitionsLoader.Parse(text, file), file);

    /// <summary>
    /// Compiles definitions, checking what reading could not (windows against their aggregations, fields, expressions,
    /// cycles among derived features, the time zone); every problem is reported in one <see cref="DefinitionException"/>,
    /// each with the line where the definitions declared it.
    /// </summary>
    public static FeaturePlan Compile(RegistryDefinition definition, string file = "definitions")
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<DefinitionError>();
        TimeZoneInfo timeZone = TimeZoneInfo.Utc;
        try
        {
            timeZone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZoneId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add(new(file, 0, "timezone", $"unknown IANA time zone '{definition.TimeZoneId}'"));
        }

        var entities = new List<EntityPlan>();
        foreach (var entity in definition.Entities)
        {
            var builder = new EntityPlanBuilder(entity, entities.Count, definition, timeZone, file, errors);
            if (builder.Build() is { } plan)
                entities.Add(plan);
        }

        if (errors.Count > 0)
        {
            // Compiling knows names, not lines: settings and entities take the line that declares them.
            throw new DefinitionException(DefinitionException.InLineOrder(errors.Select(e =>
                e.Line == 0 && definition.SourceLines.TryGetValue(e.Field, out var line) ? e with { Line = line } : e)));
        }

        return new FeaturePlan(definition, timeZone, [.. entities]);
    }

    private sealed class EntityPlanBuilder(
        EntityDefinition entity, int index, RegistryDefinition definition, TimeZoneInfo timeZone, string file, List<DefinitionError> errors)
        : IExpressionResolver
    {
        private readonly List<AggregateSpec> _aggregates = [];
        private readonly Dictionary<string, FeatureDefinition> _byName = new(StringComparer.Ordinal);
        private readonly Dictionary<string, FeatureDefinition> _requestAggregates = new(StringComparer.Ordinal);
        private List<FeatureDefinition> _derived = [];
        private HashSet<int> _currentDependencies = [];
        private bool _bindingRequest;

        public EntityPlan? Build()
        {
            var errorCount = errors.Count;
            var features = definition.StoredFeatures.Where(f => f.Entity == entity.Name).ToList();
            var requestFeatures = definition.RequestFeatures.Where(f => f.Entity == entity.Name).ToList();
            foreach (var f in features)
                _byName[f.Name] = f;
            _derived = features.Where(f => f.Kind == FeatureKind.Derived).ToList();

            foreach (var f in features.Where(f => f.Kind == FeatureKind.Aggregation))
                CheckAndAddAggregate(f);

            var derivedBound = new BoundExpression[_derived.Count];
            var dependencies = new HashSet<int>[_derived.Count];
            for (var j = 0; j < _derived.Count; j++)
            {
                _currentDependencies = [];
                derivedBound[j] = BindOrNull(_derived[j], allowRequest: false) ?? BoundExpression.Constant(0);
                dependencies[j] = _currentDependencies;
            }

            var order = TopologicalOrder(dependencies);
            // Request features that aggregate against the request are aggregates of their own, which request
            // expressions may name; the others are expressions.
            foreach (var f in requestFeatures.Where(f => f.IsAggregation))
            {
                if (CheckAndAddAggregate(f))
                    _requestAggregates[f.Name] = f;
            }

            _bindingRequest = true;
            var requestBound = requestFeatures
                .Select(f => (f.IsAggregation
                    ? _requestAggregates.ContainsKey(f.Name) ? BoundExpression.Value(_derived.Count + _aggregates.IndexOf(SpecOf(f))) : null
                    : BindOrNull(f, allowRequest: true)) ?? BoundExpression.Constant(0))
                .ToArray();
            _bindingRequest = false;

            // Graph aggregations read the counterparty of each event.
            var distinctFields = _aggregates.Where(a => AggregationNames.CountsValues(a.Kind))
                .Select(a => a.Field)
                .Concat(_aggregates.Where(a => AggregationNames.SearchesGraph(a.Kind)).Select(_ => (TransactionField?)TransactionField.CounterpartyId))
                .Distinct().Count();
            if (distinctFields > WindowRules.MaxDistinctFields)
            {
                errors.Add(new(file, 0, $"entities.{entity.Name}",
                    $"features of one entity may count distinct values of at most {WindowRules.MaxDistinctFields} fields, got {distinctFields}"));
            }

            if (errors.Count > errorCount)
                return null;

            var aggregates = _aggregates.ToArray();
            var featureValue = features.Select(f => f.Kind == FeatureKind.Derived
                ? _derived.IndexOf(f)
                : _derived.Count + _aggregates.IndexOf(SpecOf(f))).ToArray();
            return new EntityPlan(entity, index, features, requestFeatures, aggregates, derivedBound, order,
                featureValue, requestBound, timeZone);
        }

        public int? ResolveFeature(string name, int column)
        {
            if (_bindingRequest && _requestAggregates.TryGetValue(name, out var compared))
                return _derived.Count + _aggregates.IndexOf(SpecOf(compared));
            if (!_byName.TryGetValue(name, out var feature))
                return null;
            if (feature.Kind == FeatureKind.Aggregation)
                return _derived.Count + _aggregates.IndexOf(SpecOf(feature));
            var j = _derived.IndexOf(feature);
            _currentDependencies.Add(j);
            return j;
        }

        public int ResolveAggregate(AggregationKind kind, TransactionField? field, long windowMs, int column)
        {
            if (AggregationNames.SearchesGraph(kind))
                throw new ExpressionException($"{AggregationNames.Name(kind)} searches the transfer graph with bounds: declare it as a feature and name that feature (column {column})", column);
            var problem = WindowProblem(kind, windowMs, WindowRules.DefaultHopMs(windowMs));
            if (problem is not null)
                throw new ExpressionException($"{problem} (column {column})", column);
            var threshold = kind == AggregationKind.OutlierShare ? AggregationNames.DefaultThresholdSd : 0;
            var spec = new AggregateSpec(kind, field, windowMs, WindowRules.DefaultHopMs(windowMs), FeatureFilter.None, ThresholdSd: threshold);
            var k = _aggregates.IndexOf(spec);
            if (k >= 0)
                return _derived.Count + k;
            _aggregates.Add(spec);
            return _derived.Count + _aggregates.Count - 1;
        }

        private static AggregateSpec SpecOf(FeatureDefinition f) => new(f.Aggregation, f.Field, f.WindowMs, f.HopMs, f.Filter, f.LookbackMs,
            AggregationNames.SearchesGraph(f.Aggregation) ? GraphSearchRules.Resolve(f.Aggregation, f.Bounds, []) : default, f.ThresholdSd);

        /// <summary>Checks an aggregation of a stored or request feature and adds its aggregate; false when it has a problem.</summary>
        private bool CheckAndAddAggregate(FeatureDefinition f)
        {
            var errorCount = errors.Count;
            CheckAggregate(f);
            if (errors.Count > errorCount)
                return false;
            if (!_aggregates.Contains(SpecOf(f)))
                _aggregates.Add(SpecOf(f));
            return true;
        }

        private void CheckAggregate(FeatureDefinition f)
        {
            var comparesWithRequest = AggregationNames.ComparesWithRequest(f.Aggregation);
            if (comparesWithRequest != (f.Kind == FeatureKind.Request))
            {
                errors.Add(new(file, f.Line, $"{f.Name}.aggregation", comparesWithRequest
                    ? $"{AggregationNames.Name(f.Aggregation)} compares with the request being scored: declare it under request_features"
                    : "a request feature aggregates against the request with first_seen or last_seen_time"));
                return;
            }

            var problem = comparesWithRequest ? RequestWindowProblem(f.WindowMs) : WindowProblem(f.Aggregation, f.WindowMs, f.HopMs);
            if (problem is not null)
            {
                errors.Add(new(file, f.Line, $"{f.Name}.window", problem));
                return;
            }

            if (LookbackProblem(f) is { } lookbackProblem)
            {
                errors.Add(new(file, f.Line, $"{f.Name}.lookback", lookbackProblem));
                return;
            }

            if (GraphProblem(f) is { } graphProblem)
            {
                errors.Add(new(file, f.Line, $"{f.Name}.{graphProblem.Key}", graphProblem.Reason));
                return;
            }

            if (f.ThresholdSd != 0 && f.Aggregation != AggregationKind.OutlierShare)
            {
                errors.Add(new(file, f.Line, $"{f.Name}.threshold_sd", "only outlier_share takes a threshold_sd"));
                return;
            }

            var kindName = AggregationNames.Name(f.Aggregation);
            var needsAmount = AggregationNames.AggregatesAmount(f.Aggregation);
            var countsValues = AggregationNames.CountsValues(f.Aggregation);
            if (needsAmount && f.Field != TransactionField.Amount)
                errors.Add(new(file, f.Line, $"{f.Name}.field", $"{kindName} aggregates the field amount"));
            else if (countsValues && f.Field is null or TransactionField.Amount)
                errors.Add(new(file, f.Line, $"{f.Name}.field", $"{kindName} needs one of: {FieldNames.DistinctFieldList}"));
            else if (!needsAmount && !countsValues && f.Field is not null)
                errors.Add(new(file, f.Line, $"{f.Name}.field", $"{kindName} takes no field"));
            else if (f.Field == TransactionField.CounterpartyId && entity.JoinKey is not (TransactionField.CustomerId or TransactionField.MerchantId))
                errors.Add(new(file, f.Line, $"{f.Name}.field", "counterparty_id is defined for entities at an end of the edge: joined on customer_id or merchant_id"));
            else if (f.Filter.Direction != EdgeDirection.Outflow && !entity.Inflows)
                errors.Add(new(file, f.Line, $"{f.Name}.direction", $"entity '{entity.Name}' receives no inflows: declare it with inflows: true (joined on customer_id)"));
        }

        /// <summary>
        /// What a graph aggregation's definition gets wrong: its entity must be an account with inflows, it takes no
        /// field and no filter, a direction only where it has a meaning, and bounds within their limits.
        /// </summary>
        private (string Key, string Reason)? GraphProblem(FeatureDefinition f)
        {
            var problems = new List<(string Key, string Reason)>();
            GraphSearchRules.Resolve(f.Aggregation, f.Bounds, problems);
            if (!AggregationNames.SearchesGraph(f.Aggregation))
                return problems.Count > 0 ? (problems[0].Key, $"only graph aggregations take {problems[0].Key}") : null;
            var name = AggregationNames.Name(f.Aggregation);
            var direction = f.Filter.Direction;
            if (entity.JoinKey != TransactionField.CustomerId || !entity.Inflows)
                return ("aggregation", $"{name} searches the transfer graph of accounts: its entity must be joined on customer_id with inflows: true");
            if (f.Field is not null)
                return ("field", $"{name} takes no field: it reads the counterparty of each transfer");
            if (f.Filter.Kind != FilterKind.None)
                return ("filter", $"{name} takes no filter");
            if (f.Aggregation == AggregationKind.ScatterGather && direction == EdgeDirection.Both)
                return ("direction", "scatter_gather is outflow (the account as the source) or inflow (the account as the destination)");
            if (f.Aggregation is not (AggregationKind.ScatterGather or AggregationKind.Degree) && direction != EdgeDirection.Outflow)
                return ("direction", $"{name} takes no direction");
            return problems.Count > 0 ? problems[0] : null;
        }

        /// <summary>
        /// The windows of aggregations compared with the request: exact, up to 30 days (the raw events the entity
        /// keeps anyway, and its seen values for the rest).
        /// </summary>
        private static string? RequestWindowProblem(long windowMs) =>
            windowMs <= 0 ? "must be a positive duration such as 60s, 5m, 1h"
            : windowMs > WindowRules.MaxWindowMs ? $"must be at most 30d, got {WindowRules.FormatDuration(windowMs)}"
            : null;

        private static string? WindowProblem(AggregationKind kind, long windowMs, long hopMs)
        {
            if (windowMs <= 0)
                return "must be a positive duration such as 60s, 5m, 1h";
            if (windowMs > WindowRules.MaxWindowMs)
                return $"must be at most 30d, got {WindowRules.FormatDuration(windowMs)}";
            if (windowMs <= WindowRules.ExactHorizonMs && hopMs != 0)
                return "windows up to 1h are exact and take no hop";
            if (hopMs == 0 && windowMs > WindowRules.MaxExactWindowMs)
                return $"an exact window (hop: exact) may be at most 7d, got {WindowRules.FormatDuration(windowMs)}";
            if (hopMs > 0 && AggregationNames.ScansEvents(kind))
                return $"{AggregationNames.Name(kind)} is exact: its windows are up to 1h, or up to 7d with hop: exact";
            if (hopMs < 0 || hopMs > WindowRules.MaxHopMs || hopMs > windowMs)
                return $"the hop of a tiled window must be between 1ms and 1d and at most the window, got {WindowRules.FormatDuration(hopMs)}";
            return null;
        }

        private static string? LookbackProblem(FeatureDefinition f)
        {
            if (f.Aggregation != AggregationKind.NewDistinctCount)
                return f.LookbackMs == 0 ? null : "only new_distinct_count takes a lookback";
            if (f.LookbackMs <= f.WindowMs)
                return $"new_distinct_count needs a lookback longer than its window, got {WindowRules.FormatDuration(f.LookbackMs)}";
            return f.LookbackMs > WindowRules.MaxExactWindowMs
                ? $"the lookback is read from exact events and may be at most 7d, got {WindowRules.FormatDuration(f.LookbackMs)}"
                : null;
        }

        private BoundExpression? BindOrNull(FeatureDefinition f, bool allowRequest)
        {
            try
            {
                return ExpressionBinder.Bind(ExpressionParser.Parse(f.Expression ?? ""), this, allowRequest);
            }
            catch (ExpressionException e)
            {
                errors.Add(new(file, f.Line, $"{f.Name}.expression", e.Message));
                return null;
            }
        }

        private int[] TopologicalOrder(HashSet<int>[] dependencies)
        {
            var order = new List<int>();
            var state = new int[dependencies.Length]; // 0 new, 1 visiting, 2 done
            for (var j = 0; j < dependencies.Length; j++)
                Visit(j);
            return [.. order];

            void Visit(int j)
            {
                if (state[j] == 2)
                    return;
                if (state[j] == 1)
                {
                    errors.Add(new(file, _derived[j].Line, $"{_derived[j].Name}.expression",
                        "derived features refer to each other in a cycle"));
                    state[j] = 2;
                    return;
                }

                state[j] = 1;
                foreach (var d in dependencies[j])
                    Visit(d);
                state[j] = 2;
                order.Add(j);
            }
        }
    }
}
