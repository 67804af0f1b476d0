using Xunit.Sdk;

namespace Amlfs.Redis.Tests;

/// <summary>
/// A fact of the online store contract: run like any fact, except in a test class marked
/// <see cref="RealRedisServerAttribute"/> when no real server is configured, where it is reported skipped with the reason.
/// </summary>
[XunitTestCaseDiscoverer("Amlfs.Redis.Tests.ContractFactDiscoverer", "Amlfs.Redis.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;
