using Amlfs.Learning.LightGbm;
using Amlfs.Learning.Tests.LightGbm;
using Amlfs.Learning.Trees;

namespace Amlfs.Learning.Tests.Trees;

public sealed class TreeShapExplainerTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Theory]
    [InlineData(nameof(TrainedModels.NaNMissing))]
    [InlineData(nameof(TrainedModels.ZeroMissing))]
    public void The_base_value_and_the_contributions_add_up_to_the_raw_score(string model)
    {
        var ensemble = TreeEnsemble.Parse(models[model]);
        var explainer = new TreeShapExplainer(ensemble);
        var contributions = new double[ensemble.FeatureCount];

        for (var row = 0; row < models.Probes.Rows; row++)
        {
            var features = models.Probes.Row(row);
            var baseValue = explainer.Explain(features, contributions, out var rawScore);

            Assert.Equal(ensemble.PredictRaw(features), rawScore);
            Assert.Equal(rawScore, baseValue + contributions.Sum(), 1e-9);
        }
    }

    [Theory]
    [InlineData(nameof(TrainedModels.NaNMissing))]
    [InlineData(nameof(TrainedModels.ZeroMissing))]
    public void Contributions_match_those_of_LightGBM_on_rows_with_missing_values(string model)
    {
        var ensemble = TreeEnsemble.Parse(models[model]);
        var explainer = new TreeShapExplainer(ensemble);
        var contributions = new double[ensemble.FeatureCount];
        var expected = models.LightGbmPrediction(models[model], LightGbmPredictionKind.Contributions);
        var width = ensemble.FeatureCount + 1;

        for (var row = 0; row < models.Probes.Rows; row++)
        {
            var baseValue = explainer.Explain(models.Probes.Row(row), contributions);

            for (var feature = 0; feature < ensemble.FeatureCount; feature++)
            {
                Assert.Equal(expected[(row * width) + feature], contributions[feature], 1e-6);
            }

            Assert.Equal(expected[(row * width) + ensemble.FeatureCount], baseValue, 1e-9);
        }
    }

    [Fact]
    public void The_probe_rows_have_missing_values_where_the_trees_split()
    {
        var ensemble = TreeEnsemble.Parse(models.NaNMissing);
        var split = ensemble.SplitFeatures.ToHashSet();

        Assert.Contains(Enumerable.Range(0, models.Probes.Features.Length), i => double.IsNaN(models.Probes.Features[i]) && split.Contains(i % models.Probes.Columns));
    }

    [Fact]
    public void A_model_of_single_leaf_trees_has_only_a_base_value()
    {
        var rows = SyntheticRows.Create(500, 12, seed: 3);
        var text = LightGbmModels.Train(rows, "min_data_in_leaf=1000", iterations: 5);
        var explainer = new TreeShapExplainer(TreeEnsemble.Parse(text));
        var contributions = new double[12];
        using var booster = LightGbmBooster.LoadModelFromString(text);
        var expected = booster.PredictForMatrix(rows.Row(0), LightGbmPredictionKind.Contributions);

        var baseValue = explainer.Explain(rows.Row(0), contributions);

        Assert.All(contributions, value => Assert.Equal(0.0, value));
        Assert.Equal(expected[12], baseValue, 1e-12);
    }

    [Fact]
    public void Explaining_a_row_allocates_nothing()
    {
        var explainer = new TreeShapExplainer(TreeEnsemble.Parse(models.NaNMissing));
        var contributions = new double[explainer.Ensemble.FeatureCount];
        for (var row = 0; row < 50; row++)
        {
            explainer.Explain(models.Probes.Row(row), contributions, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var row = 0; row < 50; row++)
        {
            explainer.Explain(models.Probes.Row(row), contributions, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Contributions_too_short_for_the_features_are_refused()
    {
        var explainer = new TreeShapExplainer(TreeEnsemble.Parse(models.NaNMissing));

        Assert.Throws<ArgumentException>(() => explainer.Explain(models.Probes.Row(0), new double[3]));
    }
}
