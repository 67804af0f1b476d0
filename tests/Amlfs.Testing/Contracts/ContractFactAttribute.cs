using Xunit;
using Xunit.Sdk;

namespace Amlfs.Testing.Contracts;

/// <summary>
/// A fact of a store contract suite: run like any fact, except in a test class marked with an
/// <see cref="ExternalServerAttribute"/> whose server is not configured, where it is reported skipped with the reason.
/// </summary>
[XunitTestCaseDiscoverer("Amlfs.Testing.Contracts.ContractFactDiscoverer", "Amlfs.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;
