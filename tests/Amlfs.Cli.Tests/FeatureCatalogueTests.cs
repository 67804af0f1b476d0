using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

/// <summary>The catalogue of default features in the docs follows <c>features.yaml</c>.</summary>
public sealed class FeatureCatalogueTests
{
    [Fact]
    public void Every_default_feature_and_view_has_a_row_in_the_catalogue_and_no_catalogue_row_names_a_feature_that_is_gone()
    {
        var catalogue = RepositoryFiles.Read("docs/features.md");
        var definition = DefinitionsLoader.Parse(RepositoryFiles.Read("features.yaml"), "features.yaml");

        Assert.All(definition.AllFeatures, f => Assert.Contains($"| `{f.Name}` |", catalogue, StringComparison.Ordinal));
        Assert.All(definition.Views, v => Assert.Contains($"### {v.Name} ({v.Entity}, family {v.Family})", catalogue, StringComparison.Ordinal));
        // The rows of the catalogue itself; the definitions above it may name features declared elsewhere (graph.md).
        var rows = catalogue[catalogue.IndexOf("## Catalogue", StringComparison.Ordinal)..].Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal) && line.IndexOf("` |", StringComparison.Ordinal) > 3)
            .Select(line => line[3..line.IndexOf("` |", StringComparison.Ordinal)]);
        var names = definition.AllFeatures.Select(f => f.Name).ToHashSet();
        Assert.All(rows, name => Assert.Contains(name, names));
    }
}
