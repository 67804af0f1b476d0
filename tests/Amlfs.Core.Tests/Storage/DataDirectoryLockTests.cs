using Amlfs.Storage;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Storage;

public sealed class DataDirectoryLockTests
{
    [Fact]
    public void A_second_store_on_the_same_data_directory_is_refused_naming_the_directory()
    {
        using var dir = new TempDirectory();
        using var engine = TestEngines.Inline();
        using var store = EmbeddedStore.Open(EmbeddedStoreTests.Options(dir), engine, TimeProvider.System);
        using var second = TestEngines.Inline();

        var error = Assert.Throws<DataDirectoryInUseException>(() => EmbeddedStore.Open(EmbeddedStoreTests.Options(dir), second, TimeProvider.System));

        Assert.Contains(dir.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is in use by another amlfs process", error.Message, StringComparison.Ordinal);
        Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(dir.Path));
    }

    [Fact]
    public void Disposing_the_store_releases_the_data_directory()
    {
        using var dir = new TempDirectory();
        using (var engine = TestEngines.Inline())
        using (EmbeddedStore.Open(EmbeddedStoreTests.Options(dir), engine, TimeProvider.System))
        {
        }

        using (DataDirectoryLock.Acquire(dir.Path))
        {
        }

        using var again = TestEngines.Inline();
        using var reopened = EmbeddedStore.Open(EmbeddedStoreTests.Options(dir), again, TimeProvider.System);
        Assert.True(File.Exists(Path.Combine(dir.Path, DataDirectoryLock.FileName)));
    }
}
