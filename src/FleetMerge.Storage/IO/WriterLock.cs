using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FleetMerge.Storage.IO;

/// <summary>
/// One writer per image file across processes: an open-file-description write lock (Linux
/// F_OFD_SETLK) on the file's first byte, released when the handle closes. .NET's own FileShare
/// locks are flock()s that are shared for every mode but FileShare.None, and None would also shut
/// out read-only tools (`cow inspect` during a merge); OFD locks leave readers alone.
/// </summary>
internal static class WriterLock
{
    private const int F_OFD_SETLK = 37;
    private const short F_WRLCK = 1;
    private const int EACCES = 13, EAGAIN = 11;

    [StructLayout(LayoutKind.Explicit, Size = 32)]
    private struct Flock
    {
        [FieldOffset(0)] public short Type;
        [FieldOffset(2)] public short Whence;
        [FieldOffset(8)] public long Start;
        [FieldOffset(16)] public long Length;
        [FieldOffset(24)] public int Pid;
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, ref Flock lockSpec);

    /// <summary>Takes the lock or throws a one-line error naming the file.</summary>
    public static void Take(SafeFileHandle handle, string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        var spec = new Flock { Type = F_WRLCK, Whence = 0, Start = 0, Length = 1, Pid = 0 };
        if (Fcntl((int)handle.DangerousGetHandle(), F_OFD_SETLK, ref spec) == 0) return;
        int errno = Marshal.GetLastPInvokeError();
        if (errno is EACCES or EAGAIN)
            throw new StorageException($"{path}: in use by another writer (a merge or write is running on it)");
        throw new StorageException($"{path}: cannot lock for writing (errno {errno})");
    }
}
