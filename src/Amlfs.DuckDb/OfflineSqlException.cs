namespace Amlfs.DuckDb;

/// <summary>A query over the offline store could not run; the message says why (DuckDB's own words for SQL errors).</summary>
public sealed class OfflineSqlException : Exception
{
    public OfflineSqlException()
    {
    }

    public OfflineSqlException(string message)
        : base(message)
    {
    }

    public OfflineSqlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
