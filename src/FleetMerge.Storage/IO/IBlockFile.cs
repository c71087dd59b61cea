namespace FleetMerge.Storage.IO;

/// <summary>
/// A fixed-size block device backed by something: positional reads and writes, and a flush
/// that makes every completed write durable (the PREFLUSH of the block layer).
/// Implementations are safe for concurrent calls on different ranges.
/// </summary>
public interface IBlockFile : IDisposable
{
    /// <summary>Human-readable name for error messages (usually the path).</summary>
    string Name { get; }

    long Length { get; }

    bool Writable { get; }

    /// <summary>Reads exactly <c>buffer.Length</c> bytes; a range past the end is an error.</summary>
    void Read(long offset, Span<byte> buffer);

    void Write(long offset, ReadOnlySpan<byte> data);

    void Flush();
}
