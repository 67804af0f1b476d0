using System.Globalization;

namespace Amlfs.Storage;

/// <summary>
/// Replaces a small file whole: the bytes go to a temporary file of a unique name, are fsynced, and the temporary file
/// is renamed over the target, so that a reader sees the old file or the new one, never half of either, and a crash
/// leaves at most a stray temporary file (removed here when the rename fails).
/// </summary>
internal static class DurableFile
{
    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="bytes"/>; with <paramref name="mode"/> the file is created
    /// with those permissions on Unix (a secret's 0600), never readable by others in between.
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> bytes, UnixFileMode? mode = null)
    {
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is { } permissions && !OperatingSystem.IsWindows())
                options.UnixCreateMode = permissions;
            using (var stream = new FileStream(temporary, options))
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
