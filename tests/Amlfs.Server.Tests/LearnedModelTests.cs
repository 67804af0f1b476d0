using System.Text.Json;
using Amlfs.Learning.Models;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// <c>/predict</c> with a trained model active, over a real port: the calibrated score and the model's thresholds,
/// exact contributions that add up to the raw score, explanations in English and Portuguese, the rules' reasons beside
/// them, activation and rollback followed while the server runs, and the rules as the fallback.
/// </summary>
public sealed class LearnedModelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private ModelManifest _model = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _model = TestModels.TrainAndActivate(_directory.Path);
        _server = await RunningServer.StartAsync(_clock, _directory.Path);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_active_model_scores_with_its_calibrated_probability_and_thresholds()
    {
        var (status, body) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 12_500m));

        Assert.Equal(200, status);
        Assert.Equal(_model.Version, body.GetProperty("model_version").GetString());
        var score = body.GetProperty("risk_score").GetDouble();
        Assert.InRange(score, 0, 1);
        var expected = score >= _model.Thresholds.High ? "HIGH" : score >= _model.Thresholds.Medium ? "MEDIUM" : "LOW";
        Assert.Equal(expected, body.GetProperty("risk_level").GetString());
        Assert.InRange(body.GetProperty("anomaly_score").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Contributions_add_up_to_the_raw_score_and_name_every_input_with_its_value()
    {
        var (_, body) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 12_500m));

        var contributions = body.GetProperty("contributions");
        var features = contributions.GetProperty("features").EnumerateArray().ToList();
        var total = contributions.GetProperty("base_value").GetDouble() + features.Sum(f => f.GetProperty("contribution").GetDouble());
        Assert.Equal(contributions.GetProperty("raw_score").GetDouble(), total, 1e-9);
        Assert.Equal(_model.FeatureNames.Order(StringComparer.Ordinal), features.Select(f => f.GetProperty("feature").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(12_500, features.Single(f => f.GetProperty("feature").GetString() == "amount").GetProperty("value").GetDouble());
        var magnitudes = features.Select(f => Math.Abs(f.GetProperty("contribution").GetDouble())).ToList();
        Assert.Equal(magnitudes.OrderDescending(), magnitudes);
    }

    [Fact]
    public async Task The_explanation_states_the_largest_contributions_in_english_and_portuguese_with_the_rules_reasons()
    {
        var (_, english) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 12_500m));
        var (_, portuguese) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 12_500m), "pt-BR");

        var en = Sentences(english);
        var pt = Sentences(portuguese);
        Assert.Contains(en, s => s.StartsWith("Amount R$ 12,500.00", StringComparison.Ordinal) && s.Contains(": +", StringComparison.Ordinal));
        Assert.Contains(pt, s => s.StartsWith("Valor R$ 12.500,00", StringComparison.Ordinal) && s.Contains(": +", StringComparison.Ordinal));
        Assert.Contains("High value transaction: R$ 12,500.00 is above R$ 10,000.00", en);
        Assert.Contains("Transação de alto valor: R$ 12.500,00 acima de R$ 10.000,00", pt);
    }

    [Fact]
    public async Task The_amount_is_compared_with_the_customers_usual_level()
    {
        await _server.PostJsonAsync("/transactions", Requests.Transaction("H1", "C2", 180m, Now.AddMinutes(-10)));
        await _server.PostJsonAsync("/transactions", Requests.Transaction("H2", "C2", 180m, Now.AddMinutes(-5)));

        var (_, body) = await _server.PostJsonAsync("/predict", Requests.Transaction("P2", "C2", 12_500m), "pt-BR");

        Assert.Contains(Sentences(body), s => s.StartsWith("Valor R$ 12.500,00, acima do habitual R$ 180,00: +", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Activating_the_rules_or_rolling_back_takes_effect_while_the_server_runs()
    {
        var registry = new ModelRegistry(_directory.Path);

        registry.Activate(null, Now);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var (_, rules) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 12_500m));
        registry.Rollback(Now);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var (_, model) = await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 12_500m));

        Assert.Equal("rules-1", rules.GetProperty("model_version").GetString());
        Assert.False(rules.TryGetProperty("contributions", out _));
        Assert.Equal(_model.Version, model.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task Metrics_report_the_score_distribution_and_scoring_time_per_model_version()
    {
        await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 12_500m));

        var metrics = await _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains($"amlfs_risk_score_count{{model_version=\"{_model.Version}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"amlfs_scoring_duration_seconds_count{{model_version=\"{_model.Version}\"}} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_names_the_learned_model()
    {
        var (_, body) = await _server.GetJsonAsync("/health");

        var model = body.GetProperty("components").GetProperty("model");
        Assert.Equal("gbt", model.GetProperty("details").GetProperty("kind").GetString());
        Assert.Equal(_model.Version, model.GetProperty("details").GetProperty("version").GetString());
    }

    private static List<string> Sentences(JsonElement body) =>
        body.GetProperty("explanation").EnumerateArray().Select(s => s.GetString()!).ToList();
}
