namespace Amlfs.Storage;

/// <summary>One record of a segment log and its sequence.</summary>
internal readonly record struct LogRecord<TRecord>(long Sequence, TRecord Record);
