using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amlfs.Registry;
using Amlfs.Storage;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Registry;

public sealed class RegistryStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly string PeakHours = DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature);

    private readonly TempDirectory _data = new();
    private readonly RegistryStore _store;

    public RegistryStoreTests() => _store = new RegistryStore(_data.Path);

    public void Dispose() => _data.Dispose();

    [Fact]
    public void An_empty_store_serves_the_built_in_default_as_version_0()
    {
        var active = _store.Active;

        Assert.Equal((0, true, DefinitionTexts.DefaultFeatureCount, null), (active.Number, active.IsBuiltIn, active.FeatureCount, active.Info));
        Assert.Empty(_store.Versions);
        Assert.False(Directory.Exists(_store.RegistryDirectory));
    }

    [Fact]
    public void Apply_stores_a_new_version()
    {
        var result = _store.Apply(PeakHours, "features.yaml", T0);

        Assert.True(result.Stored);
        Assert.Equal((0, 1, DefinitionTexts.DefaultFeatureCount + 1), (result.Previous.Number, result.Active.Number, result.Active.FeatureCount));
        Assert.Equal("peak_hours_txn_count_1h", Assert.Single(result.Diff.Changes).Name);
        Assert.Equal(1, _store.Active.Number);
        Assert.Contains(_store.Active.Definition.AllFeatures, f => f.Name == "peak_hours_txn_count_1h");
    }

    [Fact]
    public void Apply_keeps_the_text_verbatim_and_indexes_it()
    {
        var text = "# my own comment\n" + PeakHours;

        _store.Apply(text, "defs/custom.yaml", new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.FromHours(-3)));

        var path = Path.Combine(_store.RegistryDirectory, "v0001.yaml");
        Assert.Equal(text, File.ReadAllText(path));
        Assert.Equal(text, _store.Text(1));
        var info = Assert.Single(_store.Versions);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(new RegistryVersionInfo(1, T0, "defs/custom.yaml", sha, DefinitionTexts.DefaultFeatureCount + 1), info);
        Assert.Equal(TimeSpan.Zero, info.AppliedAt.Offset);
    }

    [Fact]
    public void The_index_is_readable_json()
    {
        _store.Apply(PeakHours, "features.yaml", T0);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_store.RegistryDirectory, "index.json")));
        var entry = json.RootElement.GetProperty("versions")[0];
        Assert.Equal(1, entry.GetProperty("version").GetInt32());
        Assert.Equal("features.yaml", entry.GetProperty("source_file").GetString());
        Assert.Equal(DefinitionTexts.DefaultFeatureCount + 1, entry.GetProperty("feature_count").GetInt32());
        Assert.Equal(64, entry.GetProperty("sha256").GetString()!.Length);
        Assert.Equal(T0, entry.GetProperty("applied_at").GetDateTimeOffset());
    }

    [Fact]
    public void Applying_the_same_definitions_twice_stores_one_version()
    {
        var first = _store.Apply(PeakHours, "features.yaml", T0);
        var second = _store.Apply(PeakHours, "features.yaml", T0.AddMinutes(1));

        Assert.True(first.Stored);
        Assert.False(second.Stored);
        Assert.True(second.Diff.IsEmpty);
        Assert.Equal((1, 1), (second.Previous.Number, second.Active.Number));
        Assert.Single(_store.Versions);
        Assert.Equal(["index.json", "v0001.yaml"], StoredFiles());
        Assert.Equal(T0, _store.Active.Info!.AppliedAt);
    }

    [Fact]
    public void Applying_the_built_in_default_to_an_empty_store_stores_nothing()
    {
        var result = _store.Apply(DefinitionsLoader.DefaultText(), "features.yaml", T0);

        Assert.False(result.Stored);
        Assert.Equal(0, result.Active.Number);
        Assert.Empty(_store.Versions);
        Assert.False(Directory.Exists(_store.RegistryDirectory));
    }

    [Fact]
    public void Each_change_stores_the_next_version_and_the_newest_is_active()
    {
        _store.Apply(PeakHours, "features.yaml", T0);
        var back = _store.Apply(DefinitionsLoader.DefaultText(), "features.yaml", T0.AddHours(1));
        var again = _store.Apply(PeakHours, "features.yaml", T0.AddHours(2));

        Assert.Equal((1, 2, ChangeKind.Removed), (back.Previous.Number, back.Active.Number, Assert.Single(back.Diff.Changes).Kind));
        Assert.Equal((2, 3, ChangeKind.Added), (again.Previous.Number, again.Active.Number, Assert.Single(again.Diff.Changes).Kind));
        Assert.Equal([1, 2, 3], _store.Versions.Select(v => v.Version));
        Assert.Equal([DefinitionTexts.DefaultFeatureCount + 1, DefinitionTexts.DefaultFeatureCount, DefinitionTexts.DefaultFeatureCount + 1], _store.Versions.Select(v => v.FeatureCount));
        Assert.Equal(3, _store.Active.Number);
        Assert.Equal(DefinitionTexts.DefaultFeatureCount, _store.Version(2).FeatureCount);
        Assert.Equal(["index.json", "v0001.yaml", "v0002.yaml", "v0003.yaml"], StoredFiles());
    }

    [Fact]
    public void A_new_store_on_the_same_directory_sees_the_applied_versions()
    {
        _store.Apply(PeakHours, "features.yaml", T0);

        var reopened = new RegistryStore(_data.Path);

        Assert.Equal(1, reopened.Active.Number);
        Assert.Equal(DefinitionTexts.DefaultFeatureCount + 1, reopened.Active.FeatureCount);
    }

    [Fact]
    public void Invalid_definitions_throw_and_store_nothing()
    {
        var bad = PeakHours.Replace("local_hours: \"09-17\"", "local_hours: \"09-99\"", StringComparison.Ordinal);

        var e = Assert.Throws<DefinitionException>(() => _store.Apply(bad, "features.yaml", T0));

        Assert.Equal("peak_hours_txn_count_1h.filter.local_hours", Assert.Single(e.Errors).Field);
        Assert.Equal("features.yaml", e.Errors[0].File);
        Assert.Empty(_store.Versions);
        Assert.Equal(0, _store.Active.Number);
    }

    [Fact]
    public void A_modified_version_file_is_detected()
    {
        _store.Apply(PeakHours, "features.yaml", T0);
        File.AppendAllText(Path.Combine(_store.RegistryDirectory, "v0001.yaml"), "# edited by hand\n");

        var e = Assert.Throws<InvalidDataException>(() => _store.Active);

        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_index_is_reported()
    {
        Directory.CreateDirectory(_store.RegistryDirectory);
        File.WriteAllText(Path.Combine(_store.RegistryDirectory, "index.json"), "{ not json");

        var e = Assert.Throws<InvalidDataException>(() => _store.Active);

        Assert.Contains("index.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_apply_in_progress_blocks_another()
    {
        _store.Apply(PeakHours, "features.yaml", T0);
        using var held = new FileStream(
            Path.Combine(_store.RegistryDirectory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var e = Assert.Throws<IOException>(() => _store.Apply(DefinitionsLoader.DefaultText(), "features.yaml", T0));
        var unchanged = _store.Apply(PeakHours, "features.yaml", T0);

        Assert.Contains("another apply", e.Message, StringComparison.Ordinal);
        Assert.False(unchanged.Stored);
        Assert.Single(_store.Versions);
    }

    private string[] StoredFiles() =>
        Directory.GetFiles(_store.RegistryDirectory).Select(Path.GetFileName).Where(n => n != ".lock").Order(StringComparer.Ordinal).ToArray()!;
}
