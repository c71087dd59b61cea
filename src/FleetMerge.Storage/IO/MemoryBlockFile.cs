namespace FleetMerge.Storage.IO;

/// <summary>A block device in memory; flush is a no-op. For models and tests.</summary>
public sealed class MemoryBlockFile(byte[] bytes, string name = "memory") : IBlockFile
{
    public MemoryBlockFile(long length, string name = "memory") : this(new byte[length], name) { }

    public byte[] Bytes { get; } = bytes;
    public string Name { get; } = name;
    public long Length => Bytes.LongLength;
    public bool Writable => true;

    public void Read(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset + buffer.Length > Length)
            throw new StorageException($"{Name}: I/O at byte {offset} length {buffer.Length} beyond the end ({Length} bytes)");
        Bytes.AsSpan(checked((int)offset), buffer.Length).CopyTo(buffer);
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (offset < 0 || offset + data.Length > Length)
            throw new StorageException($"{Name}: I/O at byte {offset} length {data.Length} beyond the end ({Length} bytes)");
        lock (Bytes) data.CopyTo(Bytes.AsSpan(checked((int)offset)));
    }

    public void Flush() { }

    public void Dispose() { }
}
