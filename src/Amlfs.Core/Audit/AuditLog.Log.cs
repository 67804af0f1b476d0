using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Audit;

/// <summary>The log messages of <see cref="AuditLog"/>.</summary>
public sealed partial class AuditLog
{
    [LoggerMessage(EventId = AmlfsEventId.AuditTornTailMovedAside, Level = LogLevel.Warning,
        Message = "Audit: moved {Bytes} bytes of torn tail (an append a crash cut short) from {Path} aside into {TornPath}")]
    private static partial void LogTornTailMovedAside(ILogger logger, int bytes, string path, string tornPath);
}
