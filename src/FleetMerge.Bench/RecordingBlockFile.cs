using FleetMerge.Storage.IO;

namespace FleetMerge.Bench;

/// <summary>
/// Passes every call to the file underneath and, while <see cref="Recording"/> holds a list, notes each
/// read (this file, offset, length) there: the I/O a snapshot read issues, to be replayed without the engine.
/// </summary>
public sealed class RecordingBlockFile(IBlockFile inner, string path) : IBlockFile
{
    public List<(string Path, long Offset, int Length)>? Recording { get; set; }

    public string Path { get; } = path;
    public string Name => inner.Name;
    public long Length => inner.Length;
    public bool Writable => inner.Writable;

    public void Read(long offset, Span<byte> buffer)
    {
        Recording?.Add((Path, offset, buffer.Length));
        inner.Read(offset, buffer);
    }

    public void Write(long offset, ReadOnlySpan<byte> data) => inner.Write(offset, data);

    public void Flush() => inner.Flush();

    public void Dispose() => inner.Dispose();
}
