using System.Diagnostics;
using System.Globalization;

namespace Amlfs.Storage;

/// <summary>
/// A short exclusive hold on a lock file, waited for: the file opened with <see cref="FileShare.None"/> (an advisory
/// <c>flock</c> on Linux and macOS), retried with a back-off of up to 20 ms while another thread or process holds it.
/// For read-modify-write steps that several processes take on one file (the key file, the model activations, the
/// audit trail); the operating system releases it when a holder dies. Unlike <see cref="DataDirectoryLock"/>, which
/// fails at once, it waits.
/// </summary>
public static class LockFile
{
    /// <summary>
    /// Opens <paramref name="path"/> exclusively, waiting up to <paramref name="timeout"/>; disposing the stream releases
    /// it. Throws an <see cref="IOException"/> naming <paramref name="what"/> when it stays held that long.
    /// </summary>
    public static FileStream Wait(string path, TimeSpan timeout, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var started = Stopwatch.GetTimestamp();
        var wait = 1;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (Stopwatch.GetElapsedTime(started) >= timeout)
                    throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{what} stayed locked by another writer for {timeout.TotalSeconds:0} s"), e);
                Thread.Sleep(wait);
                wait = Math.Min(wait * 2, 20);
            }
        }
    }
}
