namespace Amlfs.Cli.Tests.Fixtures.Upper;

/// <summary>The other half of a deliberate namespace cycle, for the namespace dependency check to find.</summary>
internal static class Upper
{
    public static List<string> Names() => [nameof(Lower.Lower)];

    /// <summary>Refers back to the first namespace inside its body only.</summary>
    public static int CountLower() => Lower.Lower.CountUpper() + 1;
}
