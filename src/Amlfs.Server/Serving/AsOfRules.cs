using System.Globalization;
using Amlfs.Engine;
using Amlfs.Registry;

namespace Amlfs.Server.Serving;

/// <summary>The as-of rule every feature source shares: no reading ahead of the server's clock beyond the allowed skew.</summary>
internal static class AsOfRules
{
    public static string? FutureProblem(long asOfMs, TimeProvider clock, EngineOptions options)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (asOfMs <= nowMs + options.MaxClockSkewMs)
            return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"is in the future: {DateTimeOffset.FromUnixTimeMilliseconds(asOfMs):O} is more than {WindowRules.FormatDuration(options.MaxClockSkewMs)} after the server's clock");
    }
}
