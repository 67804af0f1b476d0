using Xunit.Abstractions;
using Xunit.Sdk;

namespace Amlfs.Redis.Tests;

/// <summary>Discovers <see cref="ContractFactAttribute"/> tests, skipped when their class needs a server that is not configured.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod,
        IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        if (testMethod.TestClass.Class.GetCustomAttributes(typeof(RealRedisServerAttribute)).Any()
            && RealRedisServerAttribute.SkipReason is { } reason)
        {
            return [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
