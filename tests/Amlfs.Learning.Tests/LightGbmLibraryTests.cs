namespace Amlfs.Learning.Tests;

public sealed class LightGbmLibraryTests
{
    [Fact]
    public void The_native_library_is_copied_beside_the_tests()
    {
        var library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "lib_lightgbm.so");

        Assert.True(File.Exists(library) || !OperatingSystem.IsLinux(), library);
    }
}
