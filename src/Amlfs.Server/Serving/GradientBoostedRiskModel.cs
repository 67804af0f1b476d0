using Amlfs.Learning.Anomaly;
using Amlfs.Learning.Calibration;
using Amlfs.Learning.Drift;
using Amlfs.Learning.Models;
using Amlfs.Learning.Trees;
using Amlfs.Scoring;

namespace Amlfs.Server.Serving;

/// <summary>
/// A trained model version ready to score: its trees (read from LightGBM's model text), calibration, thresholds and
/// anomaly model, with its inputs mapped onto the server's <see cref="ModelInputLayout"/> once, so a score gathers
/// the inputs by index; and, when the version stored its training distributions, the <see cref="Drift"/> of the
/// decisions it takes, which starts empty with each load (another model, another reference). Thread-safe: each thread
/// explains with its own <see cref="TreeShapExplainer"/>, whose buffers are allocated once.
/// </summary>
internal sealed class GradientBoostedRiskModel : IDisposable
{
    private readonly TreeEnsemble _trees;
    private readonly ProbabilityCalibration _calibration;
    private readonly IsolationForest? _anomaly;
    private readonly int[] _inputIndex;
    private readonly int[] _usualIndex;
    private readonly ThreadLocal<TreeShapExplainer> _explainers;

    private GradientBoostedRiskModel(
        ModelManifest manifest, TreeEnsemble trees, ProbabilityCalibration calibration, IsolationForest? anomaly, int[] inputIndex,
        IReadOnlyList<string> layout, ReferenceDistribution? reference)
    {
        Manifest = manifest;
        Drift = reference is null ? null : new DriftMonitor(reference);
        _trees = trees;
        _calibration = calibration;
        _anomaly = anomaly;
        _inputIndex = inputIndex;
        _usualIndex = manifest.FeatureNames.Select(name => ContributionFormatter.UsualLevelInput(name, layout)).ToArray();
        _explainers = new ThreadLocal<TreeShapExplainer>(() => new TreeShapExplainer(_trees));
    }

    public ModelManifest Manifest { get; }

    public string Version => Manifest.Version;

    /// <summary>
    /// The live distribution of the streamed decisions' inputs and scores over a sliding day against the training
    /// distributions; null for a version stored without them (trained before they were).
    /// </summary>
    public DriftMonitor? Drift { get; }

    /// <summary>The model's inputs, in its order.</summary>
    public IReadOnlyList<string> InputNames => Manifest.FeatureNames;

    /// <summary>
    /// Loads <paramref name="version"/> from <paramref name="registry"/> for a server whose inputs are
    /// <paramref name="layout"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The version is missing, a file fails its checksum or does not fit the model, or the layout lacks an input the
    /// model reads (named).
    /// </exception>
    public static GradientBoostedRiskModel Load(ModelRegistry registry, string version, IReadOnlyList<string> layout)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var manifest = registry.Find(version) ?? throw new InvalidDataException($"no model version '{version}' in {registry.Directory}");
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layout.Count; i++)
            positions[layout[i]] = i;
        var missing = manifest.FeatureNames.Where(n => !positions.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"model {version} reads features the active definitions do not define: {string.Join(", ", missing)}");
        var trees = TreeEnsemble.Parse(registry.ModelText(manifest));
        if (trees.FeatureCount != manifest.FeatureNames.Count)
            throw new InvalidDataException($"model {version}: the model text has {trees.FeatureCount} features, model.json names {manifest.FeatureNames.Count}");
        var calibration = ProbabilityCalibration.FromJson(manifest.Calibration.GetRawText());
        var anomaly = registry.AnomalyJson(manifest) is { } json ? IsolationForest.FromJson(json) : null;
        return new GradientBoostedRiskModel(
            manifest, trees, calibration, anomaly, manifest.FeatureNames.Select(n => positions[n]).ToArray(), layout, registry.Reference(manifest));
    }

    /// <summary>
    /// Scores one transaction from its inputs in the server's layout: writes the model's inputs to
    /// <paramref name="inputs"/> and each one's contribution to <paramref name="contributions"/> (both of
    /// <see cref="InputNames"/>'s length), and returns the verdict.
    /// </summary>
    public ModelScore Score(ReadOnlySpan<double> layoutValues, Span<double> inputs, Span<double> contributions)
    {
        Gather(layoutValues, inputs);
        var baseValue = _explainers.Value!.Explain(inputs, contributions, out var raw);
        return Verdict(inputs, baseValue, raw);
    }

    /// <summary>
    /// The verdict of <see cref="Score"/> without the explanation: the raw score from the trees alone, which equals the
    /// explainer's (<see cref="TreeShapExplainer.Explain(ReadOnlySpan{double}, Span{double}, out double)"/>), so the
    /// probability, level and anomaly score are those <see cref="Score"/> gives, at a fraction of its cost. For
    /// decisions that need an explanation only when they alert.
    /// </summary>
    public ModelScore ScoreOnly(ReadOnlySpan<double> layoutValues, Span<double> inputs)
    {
        Gather(layoutValues, inputs);
        return Verdict(inputs, _trees.ExpectedValue, _trees.PredictRaw(inputs));
    }

    private void Gather(ReadOnlySpan<double> layoutValues, Span<double> inputs)
    {
        for (var i = 0; i < _inputIndex.Length; i++)
            inputs[i] = layoutValues[_inputIndex[i]];
    }

    private ModelScore Verdict(ReadOnlySpan<double> inputs, double baseValue, double raw)
    {
        // The level is decided on the unrounded probability, as the thresholds were chosen; the score is shown rounded.
        var exact = Math.Clamp(_calibration.Apply(raw), 0, 1);
        var thresholds = Manifest.Thresholds;
        var level = exact >= thresholds.High ? RiskLevel.High : exact >= thresholds.Medium ? RiskLevel.Medium : RiskLevel.Low;
        var probability = Math.Round(exact, 4, MidpointRounding.AwayFromZero);
        var anomaly = _anomaly is null ? (double?)null : Math.Round(_anomaly.Score(inputs), 4, MidpointRounding.AwayFromZero);
        return new ModelScore(probability, level, baseValue, raw, anomaly, exact);
    }

    /// <summary>The usual level of input <paramref name="input"/> (model order) among the layout's values, or null.</summary>
    public double? UsualLevel(int input, ReadOnlySpan<double> layoutValues) =>
        _usualIndex[input] >= 0 && layoutValues[_usualIndex[input]] > 0 ? layoutValues[_usualIndex[input]] : null;

    public void Dispose() => _explainers.Dispose();
}
