namespace Amlfs.Dashboard.Tests;

/// <summary>
/// A test that needs Debian's Chromium. Skipped, saying why, only where the browser is missing and <c>CI</c> is not set:
/// in CI a missing browser fails the test instead (<c>.ci/run</c> installs it).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = $"{BrowserFixture.ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests";
    }
}
