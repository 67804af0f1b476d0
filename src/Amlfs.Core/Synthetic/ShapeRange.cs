namespace Amlfs.Synthetic;

/// <summary>
/// An inclusive range of one shape parameter of a typology, such as 2 to 6 hops, R$ 500 to R$ 9,500 or 10 minutes to
/// 3 days. A typology instance draws its value from it.
/// </summary>
public readonly record struct ShapeRange<T>(T Min, T Max)
{
    /// <summary>A range of one value.</summary>
    public static ShapeRange<T> Of(T value) => new(value, value);
}
