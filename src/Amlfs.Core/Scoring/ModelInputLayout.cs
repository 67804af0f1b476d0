using Amlfs.Engine;

namespace Amlfs.Scoring;

/// <summary>
/// The inputs of a learned model, in one order for training and serving: the customer's stored features, the customer's
/// request features (evaluated with the scored amount), the merchant's stored features, then the transaction's
/// <see cref="AmountInput"/>. A feature name two entities share, or one that a training set's fixed columns use, is
/// prefixed with its entity's name (<c>merchant_txn_count_1h</c>), as the training set's columns are named.
/// </summary>
public sealed class ModelInputLayout
{
    /// <summary>The name of the transaction amount input.</summary>
    public const string AmountInput = "amount";

    /// <summary>The fixed columns of a transaction training set, before its feature columns.</summary>
    public static IReadOnlyList<string> TrainingSetColumns { get; } =
        ["transaction_id", "customer_id", "merchant_id", "timestamp", AmountInput, "label", "typology"];

    private readonly int _customerWidth;
    private readonly int _merchantWidth;

    private ModelInputLayout(EntityPlan customer, EntityPlan? merchant)
    {
        _customerWidth = customer.Features.Count + customer.RequestFeatures.Count;
        _merchantWidth = merchant?.Features.Count ?? 0;
        var groups = new List<(string Entity, IReadOnlyList<string> Names)>
        {
            (customer.Name, [.. customer.Features.Select(f => f.Name), .. customer.RequestFeatures.Select(f => f.Name)]),
        };
        if (merchant is not null)
            groups.Add((merchant.Name, merchant.Features.Select(f => f.Name).ToArray()));
        FeatureNames = ColumnNames(groups, TrainingSetColumns);
        Names = [.. FeatureNames, AmountInput];
    }

    /// <summary>The feature columns, without the amount: what a training set's feature columns are named.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Every input in order, <see cref="AmountInput"/> last.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>The layout of the definitions' customer and (when defined) merchant entities.</summary>
    public static ModelInputLayout Of(EntityPlan customer, EntityPlan? merchant)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new ModelInputLayout(customer, merchant);
    }

    /// <summary>
    /// Writes one row of inputs: <paramref name="customer"/> holds the customer's stored then request features,
    /// <paramref name="merchant"/> the merchant's stored features.
    /// </summary>
    public void Fill(ReadOnlySpan<double> customer, ReadOnlySpan<double> merchant, double amount, Span<double> destination)
    {
        customer[.._customerWidth].CopyTo(destination);
        merchant[.._merchantWidth].CopyTo(destination[_customerWidth..]);
        destination[_customerWidth + _merchantWidth] = amount;
    }

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
