using Amlfs.Learning.LightGbm;
using Amlfs.Learning.Tests.LightGbm;
using Amlfs.Learning.Trees;

namespace Amlfs.Learning.Tests.Trees;

public sealed class TreeShapExplainerTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Theory]
    [InlineData(nameof(TrainedModels.NaNMissing), false)]
    [InlineData(nameof(TrainedModels.ZeroMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowNaNMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowNaNMissing), true)]
    [InlineData(nameof(TrainedModels.ShallowZeroMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowZeroMissing), true)]
    public void The_base_value_and_the_contributions_add_up_to_the_raw_score(string model, bool lockstep)
    {
        var ensemble = TreeEnsemble.Parse(models[model]);
        var explainer = new TreeShapExplainer(ensemble, lockstep);
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
    [InlineData(nameof(TrainedModels.NaNMissing), false)]
    [InlineData(nameof(TrainedModels.ZeroMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowNaNMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowNaNMissing), true)]
    [InlineData(nameof(TrainedModels.ShallowZeroMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowZeroMissing), true)]
    public void Contributions_match_those_of_LightGBM_on_rows_with_missing_values(string model, bool lockstep)
    {
        var ensemble = TreeEnsemble.Parse(models[model]);
        var explainer = new TreeShapExplainer(ensemble, lockstep);
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

    [Theory]
    [InlineData(nameof(TrainedModels.NaNMissing), false)]
    [InlineData(nameof(TrainedModels.ZeroMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowNaNMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowNaNMissing), true)]
    [InlineData(nameof(TrainedModels.ShallowZeroMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowZeroMissing), true)]
    public void Contributions_match_those_of_Algorithm_2(string model, bool lockstep)
    {
        var ensemble = TreeEnsemble.Parse(models[model]);
        var explainer = new TreeShapExplainer(ensemble, lockstep);
        var reference = new PathTreeShap(ensemble);
        var contributions = new double[ensemble.FeatureCount];
        var expected = new double[ensemble.FeatureCount];

        for (var row = 0; row < models.Probes.Rows; row++)
        {
            var baseValue = explainer.Explain(models.Probes.Row(row), contributions, out var rawScore);
            var expectedBase = reference.Explain(models.Probes.Row(row), expected, out var expectedRaw);

            Assert.Equal(expectedBase, baseValue);
            Assert.Equal(expectedRaw, rawScore);
            for (var feature = 0; feature < ensemble.FeatureCount; feature++)
            {
                Assert.Equal(expected[feature], contributions[feature], 1e-9);
            }
        }
    }

    [Fact]
    public void The_deep_trees_split_some_feature_again_below_itself()
    {
        var ensemble = TreeEnsemble.Parse(models.NaNMissing);

        Assert.Contains(Enumerable.Range(0, ensemble.TreeCount), tree => SplitsAgain(ensemble, ensemble.TreeRoots[tree], []));
    }

    [Fact]
    public void The_probe_rows_have_missing_values_where_the_trees_split()
    {
        var ensemble = TreeEnsemble.Parse(models.NaNMissing);
        var split = ensemble.SplitFeatures.ToHashSet();

        Assert.Contains(Enumerable.Range(0, models.Probes.Features.Length), i => double.IsNaN(models.Probes.Features[i]) && split.Contains(i % models.Probes.Columns));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_model_of_single_leaf_trees_has_only_a_base_value(bool lockstep)
    {
        var rows = SyntheticRows.Create(500, 12, seed: 3);
        var text = LightGbmModels.Train(rows, "min_data_in_leaf=1000", iterations: 5);
        var explainer = new TreeShapExplainer(TreeEnsemble.Parse(text), lockstep);
        var contributions = new double[12];
        using var booster = LightGbmBooster.LoadModelFromString(text);
        var expected = booster.PredictForMatrix(rows.Row(0), LightGbmPredictionKind.Contributions);

        var baseValue = explainer.Explain(rows.Row(0), contributions, out var raw);

        Assert.All(contributions, value => Assert.Equal(0.0, value));
        Assert.Equal(expected[12], baseValue, 1e-12);
        Assert.Equal(baseValue, raw, 1e-12);
    }

    [Theory]
    [InlineData(nameof(TrainedModels.NaNMissing), false)]
    [InlineData(nameof(TrainedModels.ShallowNaNMissing), true)]
    public void Explaining_a_row_allocates_nothing(string model, bool lockstep)
    {
        var explainer = new TreeShapExplainer(TreeEnsemble.Parse(models[model]), lockstep);
        var contributions = new double[explainer.Ensemble.FeatureCount];

        // The runtime's tiered compilation may allocate on this thread while it swaps in optimised code, in the first
        // rounds: a steady state is a round of 50 rows that allocates nothing, and an explainer that allocates per row
        // never reaches one.
        var allocated = long.MaxValue;
        for (var round = 0; round < 20 && allocated != 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var row = 0; row < 50; row++)
            {
                explainer.Explain(models.Probes.Row(row), contributions, out _);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hand_written_trees_with_a_repeated_feature_are_explained_as_by_Algorithm_2(bool lockstep)
    {
        // Feature a at the root and again below on both sides, b in between: every combination of one fractions.
        var ensemble = TreeEnsemble.Parse(RepeatedFeatureModel);
        var explainer = new TreeShapExplainer(ensemble, lockstep);
        var reference = new PathTreeShap(ensemble);
        var contributions = new double[3];
        var expected = new double[3];

        foreach (var a in new[] { -2.0, -0.5, 0.5, 2.0, double.NaN })
        {
            foreach (var b in new[] { -1.0, 1.0, double.NaN })
            {
                double[] row = [a, b, 0.3];
                var baseValue = explainer.Explain(row, contributions, out var raw);
                var expectedBase = reference.Explain(row, expected);

                Assert.Equal(expectedBase, baseValue, 1e-15);
                Assert.Equal(ensemble.PredictRaw(row), raw);
                Assert.Equal(raw, baseValue + contributions.Sum(), 1e-12);
                Assert.Equal(expected, contributions, (x, y) => Math.Abs(x - y) < 1e-12);
            }
        }
    }

    [Fact]
    public void Shallow_models_are_explained_four_trees_at_a_time_and_deep_ones_split_by_split()
    {
        Assert.True(LockstepShap.Suits(TreeEnsemble.Parse(models.ShallowNaNMissing)));
        Assert.False(LockstepShap.Suits(TreeEnsemble.Parse(models.NaNMissing)));
    }

    [Fact]
    public void Contributions_too_short_for_the_features_are_refused()
    {
        var explainer = new TreeShapExplainer(TreeEnsemble.Parse(models.NaNMissing));

        Assert.Throws<ArgumentException>(() => explainer.Explain(models.Probes.Row(0), new double[3]));
    }

    private const string RepeatedFeatureModel = """
        tree
        version=v4
        num_class=1
        num_tree_per_iteration=1
        label_index=0
        max_feature_idx=2
        objective=binary sigmoid:1
        feature_names=a b c

        Tree=0
        num_leaves=6
        num_cat=0
        split_feature=0 1 0 0 2
        threshold=0 0 -1 1 0.5
        decision_type=10 2 0 8 0
        left_child=1 2 -1 -4 -5
        right_child=3 -3 -2 4 -6
        leaf_value=1 -2 3 0.5 -1.5 2.5
        leaf_count=10 20 30 15 5 20
        internal_value=0 0 0 0 0
        internal_count=100 60 30 40 25
        is_linear=0
        shrinkage=1


        end of trees

        """;

    private static bool SplitsAgain(TreeEnsemble ensemble, int node, HashSet<int> above)
    {
        if (node < 0)
        {
            return false;
        }

        var feature = ensemble.SplitFeatures[node];
        if (!above.Add(feature))
        {
            return true;
        }

        var again = SplitsAgain(ensemble, ensemble.LeftChildren[node], above) || SplitsAgain(ensemble, ensemble.RightChildren[node], above);
        above.Remove(feature);
        return again;
    }
}
