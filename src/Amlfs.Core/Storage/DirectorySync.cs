using System.Runtime.InteropServices;

namespace Amlfs.Storage;

/// <summary>
/// Forces a directory's entries (files created, renamed or deleted in it) to stable storage. On Linux and macOS that
/// takes an fsync of the directory itself, which .NET cannot open as a file, hence the two libc calls. Elsewhere
/// (Windows: NTFS journals metadata) and on file systems that refuse, it does nothing: the fsync of the files
/// themselves still holds.
/// </summary>
public static partial class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>fsyncs <paramref name="directory"/> itself where the platform needs and allows it; never throws for lack of support.</summary>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
            return;
        try
        {
            var descriptor = Open(directory, ReadOnly);
            if (descriptor < 0)
                return;
            _ = Fsync(descriptor); // EINVAL on file systems that cannot sync directories: nothing more to do
            _ = Close(descriptor);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
