using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amlfs.Learning.Calibration;

/// <summary>
/// A fitted map from a model's raw margin (the log-odds its trees sum to, before any sigmoid) to a calibrated
/// probability. Every kind takes the raw margin, so that the code that serves a model passes the same number whatever
/// calibration it holds.
/// </summary>
/// <remarks>
/// The JSON form is an object whose <c>kind</c> property names the calibration (<c>"isotonic"</c> or <c>"platt"</c>),
/// written first; numbers are written in the shortest form that reads back to the same double, so
/// <see cref="FromJson"/> of <see cref="ToJson"/> gives a calibration equal to the original and identical outputs.
/// Plain <see cref="JsonSerializer"/> calls on this type read and write the same form.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(IsotonicCalibration), "isotonic")]
[JsonDerivedType(typeof(PlattCalibration), "platt")]
public abstract record ProbabilityCalibration
{
    private static readonly JsonSerializerOptions ReadOptions = new() { AllowOutOfOrderMetadataProperties = true };

    /// <summary>The calibrated probability of a raw margin, in [0, 1]; NaN for NaN. Allocates nothing.</summary>
    public abstract double Apply(double rawScore);

    /// <summary>The JSON form, with its <c>kind</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, typeof(ProbabilityCalibration));

    /// <summary>Reads the JSON form that <see cref="ToJson"/> writes (the <c>kind</c> may come in any position).</summary>
    /// <exception cref="JsonException">The text is not a calibration, or its values are invalid.</exception>
    public static ProbabilityCalibration FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<ProbabilityCalibration>(json, ReadOptions)
                ?? throw new JsonException("The calibration is null.");
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new JsonException("Invalid calibration: " + e.Message, e);
        }
    }

    /// <summary>Throws unless there is one label per score, every score is finite and both classes occur.</summary>
    internal static void ValidateFitInput(ReadOnlySpan<double> rawScores, ReadOnlySpan<bool> labels)
    {
        if (rawScores.Length != labels.Length)
            throw new ArgumentException($"{rawScores.Length} scores but {labels.Length} labels.", nameof(labels));
        foreach (var score in rawScores)
        {
            if (!double.IsFinite(score))
                throw new ArgumentException("A score is NaN or infinite.", nameof(rawScores));
        }

        if (!labels.Contains(true) || !labels.Contains(false))
            throw new ArgumentException("A calibration is fitted on both positive and negative labels.", nameof(labels));
    }
}
