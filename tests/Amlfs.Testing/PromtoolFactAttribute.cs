using Xunit;

namespace Amlfs.Testing;

/// <summary>
/// A fact that needs <see cref="Promtool"/>: skipped, saying so, where it is not installed, except in CI
/// (<c>CI=true</c>), which installs it, so that there a missing promtool fails the test instead of hiding it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (Promtool.Executable is null && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = "promtool is not installed (Debian package prometheus: apt-get install prometheus)";
    }
}
