namespace Amlfs.Learning.Models;

/// <summary>Labelled rows of one period and how many of them are positive.</summary>
public sealed record ModelRowCount(long Rows, long Positives);
