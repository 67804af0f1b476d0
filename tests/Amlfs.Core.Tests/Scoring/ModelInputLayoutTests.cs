using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Scoring;

public sealed class ModelInputLayoutTests
{
    [Fact]
    public void Every_entity_type_is_a_group_after_the_customer_and_the_merchant_whose_columns_keep_their_names()
    {
        var plan = FeaturePlan.Compile(TestEngines.Default);

        var layout = ModelInputLayout.Of(plan);

        Assert.Equal(["customer", "merchant", "ip", "device"], layout.Entities.Select(e => e.Name));
        var seedColumns = layout.Names.Where(n => TestModels.SeedInputs.Contains(n)).ToList();
        Assert.Equal(TestModels.SeedInputs, seedColumns);
        Assert.Equal(["ip_unique_accounts_1h", "ip_unique_accounts_24h"], layout.Names.Skip(layout.Offset(2)).Take(2));
        Assert.Equal("device_unique_accounts_1h", layout.Names[layout.Offset(3)]);
        Assert.Equal("amount", layout.Names[^1]);
        Assert.Equal(layout.Count - 1, layout.Offset(4));
    }

    [Fact]
    public void A_group_is_filled_with_the_stored_then_the_request_features_of_its_entity()
    {
        var plan = FeaturePlan.Compile(TestEngines.Default);
        var layout = ModelInputLayout.Of(plan);
        var customer = plan.Entity("customer")!;
        var values = Enumerable.Range(0, customer.ValueCount).Select(v => (double)v).ToArray();
        var stored = new double[customer.Features.Count];
        FeatureEngine.CopyFeatures(customer, values, stored);
        var row = new double[layout.Count];

        layout.FillGroup(0, values, row);
        layout.FillAmount(12.5, row);

        Assert.Equal(stored, row[..customer.Features.Count]);
        Assert.Equal(customer.RequestValues(values).ToArray(), row[customer.Features.Count..ModelInputLayout.Width(customer)]);
        Assert.Equal(12.5, row[^1]);
    }

    [Fact]
    public void A_feature_named_like_a_fixed_column_is_prefixed_with_its_entity()
    {
        var text = DefinitionsLoader.DefaultText().Replace("name: ip_txn_count_1h", "name: label", StringComparison.Ordinal);

        var layout = ModelInputLayout.Of(FeaturePlan.Load(text, "features.yaml"));

        Assert.Contains("ip_label", layout.FeatureNames);
        Assert.DoesNotContain("label", layout.FeatureNames);
    }

    [Fact]
    public void Definitions_without_a_customer_have_no_layout()
    {
        var definition = DefinitionsLoader.LoadDefault();
        var plan = FeaturePlan.Compile(definition with
        {
            Entities = [.. definition.Entities.Where(e => e.Name != "customer")],
            Views = [.. definition.Views.Where(v => v.Entity != "customer")],
            RequestFeatures = [],
        });

        Assert.Throws<ArgumentException>(() => ModelInputLayout.Of(plan));
    }
}
