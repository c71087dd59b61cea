using Microsoft.Win32.SafeHandles;

namespace FleetMerge.Storage.IO;

/// <summary>An image file used as a block device: positional I/O on one handle, fsync as flush.</summary>
public sealed class FileBlockFile : IBlockFile
{
    private readonly SafeFileHandle handle;

    private FileBlockFile(string path, SafeFileHandle handle, long length, bool writable)
    {
        Name = path;
        this.handle = handle;
        Length = length;
        Writable = writable;
    }

    public string Name { get; }
    public long Length { get; }
    public bool Writable { get; }

    public static FileBlockFile Open(string path, bool writable)
    {
        try
        {
            var handle = File.OpenHandle(path, FileMode.Open,
                writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite);
            if (writable)
            {
                try { WriterLock.Take(handle, path); }
                catch
                {
                    handle.Dispose();
                    throw;
                }
            }
            return new FileBlockFile(path, handle, RandomAccess.GetLength(handle), writable);
        }
        catch (FileNotFoundException) { throw new StorageException($"{path}: no such file"); }
        catch (DirectoryNotFoundException) { throw new StorageException($"{path}: no such file"); }
        catch (UnauthorizedAccessException) { throw new StorageException($"{path}: permission denied"); }
        catch (IOException e) { throw new StorageException($"{path}: {e.Message}"); }
    }

    /// <summary>Creates a sparse file of the given size; refuses to overwrite an existing one.</summary>
    public static FileBlockFile Create(string path, long length)
    {
        SafeFileHandle handle;
        try { handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite); }
        catch (DirectoryNotFoundException) { throw new StorageException($"{path}: directory does not exist"); }
        catch (UnauthorizedAccessException) { throw new StorageException($"{path}: permission denied"); }
        catch (IOException) when (File.Exists(path)) { throw new StorageException($"{path}: already exists"); }
        catch (IOException e) { throw new StorageException($"{path}: {e.Message}"); }
        try
        {
            WriterLock.Take(handle, path);
            RandomAccess.SetLength(handle, length);
            return new FileBlockFile(path, handle, length, true);
        }
        catch (StorageException)
        {
            handle.Dispose();
            throw;
        }
        catch (IOException e)
        {
            // Nothing half-made stays behind: the file is ours, we just created it.
            handle.Dispose();
            File.Delete(path);
            throw new StorageException($"{path}: cannot size to {length} bytes: {e.Message}");
        }
        catch (ArgumentOutOfRangeException)
        {
            // EFBIG: the size is beyond what the file system can hold, a request no volume can satisfy (not an I/O failure).
            handle.Dispose();
            File.Delete(path);
            throw new BadRequestException($"size {length} bytes is larger than the file system of {Path.GetDirectoryName(path)} allows for one file");
        }
    }

    public void Read(long offset, Span<byte> buffer)
    {
        CheckRange(offset, buffer.Length);
        while (buffer.Length > 0)
        {
            int n = RandomAccess.Read(handle, buffer, offset);
            if (n <= 0) throw new StorageException($"{Name}: short read at byte {offset}");
            buffer = buffer[n..];
            offset += n;
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (!Writable) throw new StorageException($"{Name}: opened read-only");
        CheckRange(offset, data.Length);
        RandomAccess.Write(handle, data, offset);
    }

    public void Flush() => RandomAccess.FlushToDisk(handle);

    private const int ENOSPC = 28;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "posix_fallocate")]
    private static extern int PosixFallocate(int fd, long offset, long length);

    /// <summary>
    /// Allocates the blocks of [offset, offset+length) now (posix_fallocate), so that later writes there
    /// cannot fail with ENOSPC: a full filesystem is found before anything is written. A filesystem that
    /// cannot reserve (no fallocate support) is left to fail at the write, as before.
    /// </summary>
    public void Reserve(long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0) return;
        CheckRange(offset, 0);
        length = Math.Min(length, Length - offset);
        if (length <= 0) return;
        int error = PosixFallocate((int)handle.DangerousGetHandle(), offset, length);
        if (error == ENOSPC)
            throw new NoSpaceException($"{Name}: No space left on device: the write needs {Format.Units.FormatSize(length)} more of its filesystem; nothing was written");
    }

    private void CheckRange(long offset, int length)
    {
        if (offset < 0 || offset + length > Length)
            throw new StorageException($"{Name}: I/O at byte {offset} length {length} beyond the end ({Length} bytes)");
    }

    public void Dispose() => handle.Dispose();
}
