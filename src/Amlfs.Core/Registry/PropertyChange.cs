namespace Amlfs.Registry;

/// <summary>One property of a changed item, with its old and new value as the definitions file spells them
/// ("" when absent).</summary>
public sealed record PropertyChange(string Property, string Before, string After);
