using Xunit.Abstractions;
using Xunit.Sdk;

namespace Amlfs.Testing.Contracts;

/// <summary>Discovers <see cref="ContractFactAttribute"/> tests, skipped when their class needs a server that is not configured.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod,
        IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var reason = testMethod.TestClass.Class.GetCustomAttributes(typeof(ExternalServerAttribute))
            .OfType<IReflectionAttributeInfo>()
            .Select(a => ((ExternalServerAttribute)a.Attribute).SkipReason)
            .FirstOrDefault(r => r is not null);
        if (reason is not null)
        {
            return [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
