namespace Amlfs.Cli.Tests.Fixtures.Lower;

/// <summary>One half of a deliberate namespace cycle, for the namespace dependency check to find.</summary>
internal static class Lower
{
    /// <summary>Refers to the other namespace inside its body only.</summary>
    public static int CountUpper() => Upper.Upper.Names().Count;
}
