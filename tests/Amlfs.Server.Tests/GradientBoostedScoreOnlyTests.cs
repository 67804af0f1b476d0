using Amlfs.Learning.Models;
using Amlfs.Server.Serving;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

public sealed class GradientBoostedScoreOnlyTests
{
    [Fact]
    public void Scoring_without_the_explanation_gives_the_verdict_of_scoring_with_it()
    {
        using var directory = new TempDirectory();
        var layout = TestModels.DefaultInputs();
        var manifest = TestModels.Train(directory.Path);
        using var model = GradientBoostedRiskModel.Load(new ModelRegistry(directory.Path), manifest.Version, layout);
        var random = new Random(3);
        var inputs = new double[model.InputNames.Count];
        var contributions = new double[model.InputNames.Count];
        var levels = new HashSet<Amlfs.Scoring.RiskLevel>();
        for (var row = 0; row < 2_000; row++)
        {
            // The training rows' shape: small counts and amounts over three orders of magnitude, some missing.
            var values = layout.Select(_ => random.Next(8) == 0 ? double.NaN : Math.Floor(random.NextDouble() * 10)).ToArray();
            values[layout.ToList().IndexOf(Amlfs.Scoring.ModelInputLayout.AmountInput)] = Math.Round(Math.Exp(3 + (random.NextDouble() * 7)), 2);

            var explained = model.Score(values, inputs, contributions);
            var scored = model.ScoreOnly(values, inputs);

            Assert.Equal(explained, scored);
            levels.Add(scored.Level);
        }

        Assert.True(levels.Count > 1, "every row got one level: the comparison never crossed a threshold");
    }
}
