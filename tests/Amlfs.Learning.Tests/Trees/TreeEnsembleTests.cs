using System.Globalization;
using Amlfs.Learning.LightGbm;
using Amlfs.Learning.Tests.LightGbm;
using Amlfs.Learning.Trees;

namespace Amlfs.Learning.Tests.Trees;

public sealed class TreeEnsembleTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Theory]
    [InlineData(nameof(TrainedModels.NaNMissing))]
    [InlineData(nameof(TrainedModels.ZeroMissing))]
    public void Raw_scores_match_LightGBM_on_rows_with_missing_values_and_zeros(string model)
    {
        var ensemble = TreeEnsemble.Parse(models[model]);
        var expected = models.LightGbmPrediction(models[model], LightGbmPredictionKind.RawScore);

        for (var row = 0; row < models.Probes.Rows; row++)
        {
            Assert.Equal(expected[row], ensemble.PredictRaw(models.Probes.Row(row)), 1e-9);
        }
    }

    [Theory]
    [InlineData(nameof(TrainedModels.NaNMissing), 1)]
    [InlineData(nameof(TrainedModels.ZeroMissing), 2)]
    public void The_models_exercise_the_missing_types_they_are_trained_for(string model, int missingType)
    {
        var ensemble = TreeEnsemble.Parse(models[model]);

        Assert.Contains(ensemble.DecisionTypes, decision => ((decision >> 2) & 3) == (missingType == 1 ? TreeEnsemble.MissingNaN : TreeEnsemble.MissingZero));
        Assert.Contains(ensemble.DecisionTypes, decision => (decision & TreeEnsemble.DefaultLeftMask) != 0);
    }

    [Fact]
    public void The_header_gives_the_features_the_trees_and_the_objective()
    {
        var ensemble = TreeEnsemble.Parse(models.NaNMissing);

        Assert.Equal(16, ensemble.FeatureCount);
        Assert.Equal("Column_0", ensemble.FeatureNames[0]);
        Assert.Equal(40, ensemble.TreeCount);
        Assert.StartsWith("binary", ensemble.Objective, StringComparison.Ordinal);
        Assert.True(ensemble.MaxDepth > 8, $"max depth {ensemble.MaxDepth}");
    }

    [Fact]
    public void A_model_that_never_split_predicts_its_single_leaf()
    {
        var rows = SyntheticRows.Create(500, 12, seed: 3);
        var text = LightGbmModels.Train(rows, "min_data_in_leaf=1000", iterations: 5);
        var ensemble = TreeEnsemble.Parse(text);
        using var booster = LightGbmBooster.LoadModelFromString(text);
        var expected = booster.PredictForMatrix(rows.Features, LightGbmPredictionKind.RawScore);

        Assert.Contains("num_leaves=1\n", text, StringComparison.Ordinal);
        Assert.Equal(0, ensemble.MaxDepth);
        Assert.Equal(expected[0], ensemble.PredictRaw(rows.Row(0)), 1e-12);
        Assert.Equal(expected[0], ensemble.ExpectedValue, 1e-12);
    }

    [Fact]
    public void Single_leaf_trees_among_split_trees_add_their_value()
    {
        var ensemble = TreeEnsemble.Parse(HandWrittenModel(firstTree: SingleLeaf, secondTree: Stump(decisionType: 2)));

        Assert.Equal(0.25 - 0.5, ensemble.PredictRaw([0.5, 0]), 1e-15);
        Assert.Equal(0.25 + 0.75, ensemble.PredictRaw([1.5, 0]), 1e-15);
        Assert.Equal(0.25 - 0.5, ensemble.PredictRaw([double.NaN, 0]), 1e-15);
        Assert.Equal(0.25 + (0.5 * -0.5) + (0.5 * 0.75), ensemble.ExpectedValue, 1e-15);
    }

    [Theory]
    [InlineData(0, double.NaN, -0.5)] // missing type None: NaN is 0, which is at most the threshold
    [InlineData(0, 2.0, 0.75)]
    [InlineData(8 | 2, double.NaN, -0.5)] // missing type NaN, default left
    [InlineData(8, double.NaN, 0.75)] // missing type NaN, default right
    [InlineData(4, 0.0, 0.75)] // missing type Zero, default right: zero is missing
    [InlineData(4, double.NaN, 0.75)] // missing type Zero: NaN is 0, so missing
    [InlineData(4, 1e-36, 0.75)] // within LightGBM's zero threshold
    [InlineData(4, -0.5, -0.5)]
    [InlineData(4 | 2, 2.0, 0.75)]
    public void Missing_values_follow_the_missing_type_of_the_split_as_in_LightGBM(int decisionType, double value, double expected)
    {
        var text = HandWrittenModel(firstTree: Stump(decisionType), secondTree: SingleLeaf.Replace("0.25", "0", StringComparison.Ordinal));
        var ensemble = TreeEnsemble.Parse(text);
        using var booster = LightGbmBooster.LoadModelFromString(text);

        Assert.Equal(expected, ensemble.PredictRaw([value, 0]));
        Assert.Equal(expected, booster.PredictForMatrix([value, 0], LightGbmPredictionKind.RawScore)[0]);
    }

    [Theory]
    [InlineData("num_cat=1", "1", "categorical splits")]
    [InlineData("num_cat=0", "1", "splits feature 0 by category")]
    public void Categorical_splits_are_refused_with_a_clear_message(string numCat, string decisionType, string message)
    {
        var text = HandWrittenModel(firstTree: Stump(int.Parse(decisionType, CultureInfo.InvariantCulture)).Replace("num_cat=0", numCat, StringComparison.Ordinal), secondTree: SingleLeaf);

        var error = Assert.Throws<NotSupportedException>(() => TreeEnsemble.Parse(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("numerical splits only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_model_text_is_refused()
    {
        Assert.Throws<FormatException>(() => TreeEnsemble.Parse("hello\nworld"));
        Assert.Throws<FormatException>(() => TreeEnsemble.Parse(models.NaNMissing[..(models.NaNMissing.Length / 2)]));
    }

    [Fact]
    public void A_row_shorter_than_the_features_is_refused()
    {
        var ensemble = TreeEnsemble.Parse(models.NaNMissing);

        Assert.Throws<ArgumentException>(() => ensemble.PredictRaw(new double[ensemble.FeatureCount - 1]));
    }

    private const string SingleLeaf = """
        num_leaves=1
        num_cat=0
        split_feature=
        split_gain=
        threshold=
        decision_type=
        left_child=
        right_child=
        leaf_value=0.25
        leaf_weight=
        leaf_count=
        internal_value=
        internal_weight=
        internal_count=
        is_linear=0
        shrinkage=1
        """;

    private static string Stump(int decisionType) => $"""
        num_leaves=2
        num_cat=0
        split_feature=0
        split_gain=10
        threshold=1.0000000000000002
        decision_type={decisionType}
        left_child=-1
        right_child=-2
        leaf_value=-0.5 0.75
        leaf_weight=5 5
        leaf_count=50 50
        internal_value=0
        internal_weight=10
        internal_count=100
        is_linear=0
        shrinkage=0.1
        """;

    /// <summary>A two-feature, two-tree model in LightGBM's text format, as a minimal reference for the rules.</summary>
    private static string HandWrittenModel(string firstTree, string secondTree) => $"""
        tree
        version=v4
        num_class=1
        num_tree_per_iteration=1
        label_index=0
        max_feature_idx=1
        objective=binary sigmoid:1
        feature_names=a b
        feature_infos=[-3:3] [-3:3]

        Tree=0
        {firstTree}


        Tree=1
        {secondTree}


        end of trees

        """.ReplaceLineEndings("\n");
}
