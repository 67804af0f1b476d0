using Amlfs.Registry;

namespace Amlfs.OnlineStore;

/// <summary>How long an entity's state stays in the online store after its last write.</summary>
public static class OnlineStateExpiry
{
    /// <summary>
    /// The longest window plus its hop (a tiled window starts at a hop boundary) plus the allowed lateness: once that
    /// much time has passed after the newest event the state was written with, every window of the entity reads as
    /// empty, so the key may go. An entity written again gets a fresh time-to-live.
    /// </summary>
    public static TimeSpan TimeToLive(RegistryDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return TimeSpan.FromMilliseconds(Math.Max(1000, definition.LongestWindowSpanMs + definition.AllowedLatenessMs));
    }
}
