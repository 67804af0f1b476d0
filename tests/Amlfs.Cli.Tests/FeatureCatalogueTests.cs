using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

/// <summary>The catalogue of default features in the docs follows <c>features.yaml</c>.</summary>
public sealed class FeatureCatalogueTests
{
    [Fact]
    public void Every_default_feature_and_view_has_a_row_in_the_catalogue_and_no_row_names_a_feature_that_is_gone()
    {
        var catalogue = RepositoryFiles.Read("docs/features.md");
        var definition = DefinitionsLoader.Parse(RepositoryFiles.Read("features.yaml"), "features.yaml");

        Assert.All(definition.AllFeatures, f => Assert.Contains($"| `{f.Name}` |", catalogue, StringComparison.Ordinal));
        Assert.All(definition.Views, v => Assert.Contains($"### {v.Name} ({v.Entity}, family {v.Family})", catalogue, StringComparison.Ordinal));
        var rows = catalogue.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal) && line.IndexOf("` |", StringComparison.Ordinal) > 3)
            .Select(line => line[3..line.IndexOf("` |", StringComparison.Ordinal)]);
        var names = definition.AllFeatures.Select(f => f.Name).ToHashSet();
        Assert.All(rows, name => Assert.Contains(name, names));
    }
}
