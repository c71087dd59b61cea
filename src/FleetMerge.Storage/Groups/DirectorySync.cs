using System.Runtime.InteropServices;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// fsync of a directory, so a rename, create or unlink in it is durable. .NET refuses to open a
/// directory as a file, so this goes to libc. Windows has no equivalent (NTFS journals directory
/// entries), so it does nothing there.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY; O_DIRECTORY differs between architectures and is not needed

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(directory, ReadOnly);
        if (fd < 0) throw new StorageException($"{directory}: cannot open the directory to flush it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new StorageException($"{directory}: flushing the directory failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally { Close(fd); }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
