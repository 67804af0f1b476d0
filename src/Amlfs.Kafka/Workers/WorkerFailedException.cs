namespace Amlfs.Kafka.Workers;

/// <summary>
/// A worker cannot go on without losing something; it stops, and a restarted worker resumes from the last
/// checkpoints. The message says what failed and where.
/// </summary>
public sealed class WorkerFailedException : Exception
{
    public WorkerFailedException()
    {
    }

    public WorkerFailedException(string message)
        : base(message)
    {
    }

    public WorkerFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
