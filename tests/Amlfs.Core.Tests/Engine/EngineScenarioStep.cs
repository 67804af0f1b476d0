namespace Amlfs.Core.Tests.Engine;

/// <summary>
/// One step of a generated stream: how far the event time moves from the newest event, and what it carries.
/// <paramref name="Merchant"/> below the number of merchants names one; above, the account of a transfer.
/// <paramref name="Labels"/> picks the currency and the payment format.
/// </summary>
internal sealed record EngineScenarioStep(
    long OffsetMs, int Customer, int Merchant, int Ip, int Device, long Cents, int DuplicateOf, bool Query, int Labels = 0);
