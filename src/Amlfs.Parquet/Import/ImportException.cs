namespace Amlfs.Parquet.Import;

/// <summary>
/// A fatal import problem, as opposed to a rejected row: a missing file, a header that is not the format's, or an output
/// that would overwrite existing partitions. The message names what was expected.
/// </summary>
public sealed class ImportException : Exception
{
    public ImportException()
    {
    }

    public ImportException(string message)
        : base(message)
    {
    }

    public ImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
