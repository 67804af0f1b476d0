using Amlfs.Engine;

namespace Amlfs.Scoring;

/// <summary>
/// The inputs of a learned model, in one order for training and serving: one group per entity type of the definitions,
/// the customer first, then the merchant, then every other entity type (an IP, a device...) in the order the
/// definitions declare them; each group is the entity's stored features then its request features (evaluated with the
/// scored transaction); then the transaction's <see cref="AmountInput"/>. A scored transaction names each group's
/// entity by the entity's join key (<c>ip_address</c>...); one without that field reads the entity as unknown, with the
/// values of an entity that has no events.
/// <para>
/// Column names are feature names, which a definitions file keeps unique over all entity types; a name that a training
/// set's fixed columns use (or, for definitions built in code, that two groups share) is prefixed with its entity's name
/// (<c>merchant_amount</c>). A model names its inputs and a server maps them by name, so a model trained before an
/// entity type or a feature was added still finds every column it reads, and columns added later are left unread.
/// </para>
/// </summary>
public sealed class ModelInputLayout
{
    /// <summary>The name of the transaction amount input.</summary>
    public const string AmountInput = "amount";

    /// <summary>The fixed columns of a transaction training set, before its feature columns.</summary>
    public static IReadOnlyList<string> TrainingSetColumns { get; } =
        ["transaction_id", "customer_id", "merchant_id", "timestamp", AmountInput, "label", "typology"];

    private readonly int[] _offsets;
    private readonly EntitySelection?[] _selections;

    private ModelInputLayout(IReadOnlyList<EntityPlan> entities, EntitySelection?[]? selections = null)
    {
        Entities = entities;
        _selections = selections ?? new EntitySelection?[entities.Count];
        var groups = entities
            .Select(e => (e.Name, (IReadOnlyList<string>)[.. e.Features.Select(f => f.Name), .. e.RequestFeatures.Select(f => f.Name)]))
            .ToList();
        FeatureNames = ColumnNames(groups, TrainingSetColumns);
        Names = [.. FeatureNames, AmountInput];
        _offsets = new int[entities.Count + 1];
        for (var g = 0; g < entities.Count; g++)
            _offsets[g + 1] = _offsets[g] + Width(entities[g]);
    }

    /// <summary>The entity type of each group, in column order: the customer first.</summary>
    public IReadOnlyList<EntityPlan> Entities { get; }

    /// <summary>The feature columns, without the amount: what a training set's feature columns are named.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Every input in order, <see cref="AmountInput"/> last.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>The layout of every entity type of <paramref name="plan"/>; throws when the plan has no customer entity.</summary>
    public static ModelInputLayout Of(FeaturePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var customer = plan.Entity("customer") ?? throw new ArgumentException("the definitions have no customer entity", nameof(plan));
        var merchant = plan.Entity("merchant");
        var others = plan.Entities.Where(e => e != customer && e != merchant);
        return new ModelInputLayout([customer, .. merchant is null ? [] : new[] { merchant }, .. others]);
    }

    /// <summary>The layout of the customer's group alone (and the amount): what the rules model reads.</summary>
    public ModelInputLayout CustomerOnly() => Entities.Count == 1 ? this : new ModelInputLayout([Entities[0]]);

    /// <summary>
    /// This layout, each group evaluating only what the selection of its entity type in <paramref name="selections"/>
    /// holds (a group without one evaluates nothing): the same columns in the same places, so a model maps them as
    /// before, with every value outside the selections NaN, "not evaluated" (<see cref="EntitySelection"/>).
    /// </summary>
    public ModelInputLayout Selecting(IEnumerable<EntitySelection> selections)
    {
        ArgumentNullException.ThrowIfNull(selections);
        var byEntity = selections.ToDictionary(s => s.Plan);
        return new ModelInputLayout(Entities,
            [.. Entities.Select(e => byEntity.TryGetValue(e, out var selection) ? selection : EntitySelection.Of(e, []))]);
    }

    /// <summary>
    /// This layout evaluating only what the columns named by <paramref name="columns"/> read (a learned model's inputs):
    /// see <see cref="Selecting"/>. A name that is not a column, such as <see cref="AmountInput"/>, selects nothing.
    /// </summary>
    public ModelInputLayout ReadingColumns(IEnumerable<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var named = columns.ToHashSet(StringComparer.Ordinal);
        return Selecting(Entities.Select((entity, g) =>
        {
            var features = entity.Features.Select(f => f.Name).Concat(entity.RequestFeatures.Select(f => f.Name)).ToList();
            return EntitySelection.Of(entity, features.Where((_, i) => named.Contains(Names[_offsets[g] + i])));
        }));
    }

    /// <summary>What group <paramref name="group"/> evaluates: null for every value.</summary>
    public EntitySelection? Selection(int group) => _selections[group];

    /// <summary>Values of one group: the entity's stored features, then its request features.</summary>
    public static int Width(EntityPlan entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.Features.Count + entity.RequestFeatures.Count;
    }

    /// <summary>Where group <paramref name="group"/> starts among the inputs.</summary>
    public int Offset(int group) => _offsets[group];

    /// <summary>
    /// Writes group <paramref name="group"/> of a row from an evaluation's values (the plan's value layout, request
    /// features evaluated): its stored features, then its request features.
    /// </summary>
    public void FillGroup(int group, ReadOnlySpan<double> values, Span<double> destination)
    {
        var entity = Entities[group];
        var target = destination.Slice(_offsets[group], _offsets[group + 1] - _offsets[group]);
        FeatureEngine.CopyFeatures(entity, values, target);
        entity.RequestValues(values).CopyTo(target[entity.Features.Count..]);
    }

    /// <summary>Writes the amount input of a row.</summary>
    public void FillAmount(double amount, Span<double> destination) => destination[_offsets[^1]] = amount;

    /// <summary>
    /// Column names for groups of feature names by entity: a name that occurs in more than one group, or among
    /// <paramref name="reserved"/>, or earlier, is prefixed with its entity's name and an underscore.
    /// </summary>
    public static IReadOnlyList<string> ColumnNames(IReadOnlyList<(string Entity, IReadOnlyList<string> Names)> groups, IEnumerable<string> reserved)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var taken = new HashSet<string>(reserved, StringComparer.Ordinal);
        var all = groups.SelectMany(g => g.Names).ToList();
        var result = new List<string>(all.Count);
        foreach (var (entity, names) in groups)
        {
            foreach (var name in names)
            {
                var column = all.Count(n => n == name) > 1 || taken.Contains(name) ? entity + "_" + name : name;
                taken.Add(column);
                result.Add(column);
            }
        }

        return result;
    }
}
