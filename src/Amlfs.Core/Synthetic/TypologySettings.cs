using Amlfs.OfflineStore;

namespace Amlfs.Synthetic;

/// <summary>
/// The rate and shape ranges of every typology the generator injects (<see cref="Typologies.All"/>). The built-in
/// <see cref="Default"/> is the repository's <c>typologies.yaml</c>; <see cref="TypologyConfig"/> reads other files.
/// Immutable, and equal to other settings with equal shapes.
/// </summary>
/// <example>
/// <code>
/// var settings = TypologySettings.Default.With(Typologies.Cycle, TypologySettings.Default[Typologies.Cycle] with { Rate = 2 });
/// var options = new SyntheticOptions { Laundering = settings.Scaled(10) };
/// </code>
/// </example>
public sealed class TypologySettings : IEquatable<TypologySettings>
{
    private static readonly Lazy<TypologySettings> BuiltIn = new(TypologyConfig.LoadDefault);

    private readonly TypologyShape[] _shapes;

    private TypologySettings(TypologyShape[] shapes) => _shapes = shapes;

    /// <summary>The settings of the built-in <c>typologies.yaml</c>.</summary>
    public static TypologySettings Default => BuiltIn.Value;

    /// <summary>The default shapes with every rate 0: a purely normal history.</summary>
    public static TypologySettings None => Default.Scaled(0);

    /// <summary>Every shape at its zero value: what a file without defaults underneath starts from.</summary>
    internal static TypologySettings Empty { get; } = new(Typologies.All.Select(_ => new TypologyShape()).ToArray());

    /// <summary>The shape of <paramref name="typology"/>, one of <see cref="Typologies.All"/>.</summary>
    /// <exception cref="ArgumentException">The generator does not inject <paramref name="typology"/>.</exception>
    public TypologyShape this[string typology] => _shapes[IndexOf(typology)];

    /// <summary>The shape of the typology at <paramref name="index"/> in <see cref="Typologies.All"/>.</summary>
    internal TypologyShape this[int index] => _shapes[index];

    /// <summary>These settings with the shape of <paramref name="typology"/> replaced.</summary>
    public TypologySettings With(string typology, TypologyShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var shapes = (TypologyShape[])_shapes.Clone();
        shapes[IndexOf(typology)] = shape;
        return new TypologySettings(shapes);
    }

    /// <summary>Every rate multiplied by <paramref name="factor"/>, the shapes unchanged.</summary>
    public TypologySettings Scaled(double factor) =>
        new(_shapes.Select(s => s with { Rate = s.Rate * factor }).ToArray());

    /// <summary>Every value outside its limits, as (<c>typology.key</c>, reason); empty when the settings are valid.</summary>
    public IReadOnlyList<(string Path, string Message)> Problems()
    {
        var problems = new List<(string, string)>();
        for (var t = 0; t < _shapes.Length; t++)
        {
            foreach (var (key, message) in TypologyKeys.Problems(Typologies.All[t], _shapes[t]))
                problems.Add(($"{Typologies.All[t]}.{key}", message));
        }

        return problems;
    }

    public bool Equals(TypologySettings? other) => other is not null && _shapes.SequenceEqual(other._shapes);

    public override bool Equals(object? obj) => Equals(obj as TypologySettings);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var shape in _shapes)
            hash.Add(shape);
        return hash.ToHashCode();
    }

    private static int IndexOf(string typology)
    {
        ArgumentNullException.ThrowIfNull(typology);
        for (var t = 0; t < Typologies.All.Count; t++)
        {
            if (Typologies.All[t] == typology)
                return t;
        }

        throw new ArgumentException($"the generator does not inject '{typology}'", nameof(typology));
    }
}
