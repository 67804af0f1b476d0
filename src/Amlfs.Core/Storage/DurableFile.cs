using System.Globalization;

namespace Amlfs.Storage;

/// <summary>
/// Replaces a small file whole: the bytes go to a temporary file of a unique name, are fsynced, and the temporary file
/// is renamed over the target, so that a reader sees the old file or the new one, never half of either, and a crash
/// leaves at most a stray temporary file (removed here when the rename fails).
/// </summary>
internal static class DurableFile
{
    public static void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
