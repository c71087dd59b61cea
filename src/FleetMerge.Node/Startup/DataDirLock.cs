using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FleetMerge.Node.Startup;

/// <summary>Another process (or this one) holds the data directory's lock.</summary>
public sealed class DataDirLockedException(string message) : Exception(message);

/// <summary>
/// DIR/node.lock: an exclusive flock (FileShare.None takes flock LOCK_EX|LOCK_NB on Linux) held
/// for the node's lifetime, so one data directory has one node. The holder writes its pid into
/// the file. The kernel drops the lock when the process dies, however it dies, so a stale file
/// never blocks a restart.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    private readonly FileStream stream;

    private DataDirLock(FileStream stream, string path)
    {
        this.stream = stream;
        Path = path;
    }

    public string Path { get; }

    public static DataDirLock Acquire(string dataDir, string lockPath)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            string holder = ReadPidWithoutLocking(lockPath) is { } pid ? $"pid {pid}" : "another process";
            throw new DataDirLockedException(
                $"data directory {dataDir} is in use by another node ({holder} holds {lockPath})");
        }
        catch (UnauthorizedAccessException)
        {
            throw new DataDirLockedException($"data directory {dataDir}: cannot open {lockPath}: permission denied");
        }

        try
        {
            stream.SetLength(0);
            stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new DataDirLock(stream, lockPath);
    }

    public void Dispose() => stream.Dispose();

    /// <summary>
    /// Reads the holder's pid. .NET's own FileStream would try a shared flock and fail against the
    /// holder's exclusive one, so this reads through libc's open/read, which take no lock.
    /// </summary>
    internal static int? ReadPidWithoutLocking(string path)
    {
        int fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) return null;
        try
        {
            var buffer = new byte[32];
            nint n = Read(fd, buffer, buffer.Length);
            if (n <= 0) return null;
            string text = Encoding.ASCII.GetString(buffer, 0, (int)n).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
