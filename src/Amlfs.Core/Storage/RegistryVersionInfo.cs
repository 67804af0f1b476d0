namespace Amlfs.Storage;

/// <summary>
/// One stored registry version, as the store's index records it: its number (1, 2, ...), when it was applied (UTC),
/// the name of the file it was applied from, the SHA-256 of its text (lower-case hex, over the UTF-8 bytes) and how
/// many features it declares.
/// </summary>
public sealed record RegistryVersionInfo(int Version, DateTimeOffset AppliedAt, string SourceFile, string Sha256, int FeatureCount);
