namespace Amlfs.Engine;

/// <summary>The admission counters and the log sequence of a <see cref="FeatureEngine"/>, as a snapshot carries them.</summary>
internal readonly record struct EngineCounters(long Accepted, long Duplicates, long Late, long FutureTimestamps, long LogSequence);
