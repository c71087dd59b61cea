using System.Numerics;

namespace FleetMerge.Storage.Format;

/// <summary>
/// Where things live in a dm-snapshot persistent store of a given chunk size:
/// chunk 0 is the header, metadata area k is chunk 1 + k(E+1) and its E data chunks follow it.
/// </summary>
public readonly record struct ChunkGeometry
{
    public const int MinChunkBytes = 4 * 1024;
    public const int MaxChunkBytes = 512 * 1024;
    public const int DefaultChunkBytes = MinChunkBytes;
    public const int EntryBytes = 16;

    public uint ChunkSectors { get; }

    private ChunkGeometry(uint chunkSectors) => ChunkSectors = chunkSectors;

    public static ChunkGeometry Default => FromSectors(DefaultChunkBytes / Sectors.Size);

    /// <summary>Validates a chunk size in sectors (powers of two, 4 KiB to 512 KiB).</summary>
    public static ChunkGeometry FromSectors(long chunkSectors)
    {
        if (chunkSectors <= 0 || !BitOperations.IsPow2(chunkSectors))
            throw new BadRequestException($"chunk size {chunkSectors} sectors is not a power of two");
        long bytes = chunkSectors * Sectors.Size;
        if (bytes < MinChunkBytes || bytes > MaxChunkBytes)
            throw new BadRequestException(
                $"chunk size {Units.FormatSize(bytes)} is outside 4K..512K");
        return new ChunkGeometry((uint)chunkSectors);
    }

    public static ChunkGeometry FromBytes(long chunkBytes)
    {
        if (chunkBytes <= 0 || chunkBytes % Sectors.Size != 0 || !BitOperations.IsPow2(chunkBytes))
            throw new BadRequestException($"chunk size {chunkBytes} bytes is not a power of two multiple of 512");
        return FromSectors(chunkBytes / Sectors.Size);
    }

    public int ChunkBytes => (int)ChunkSectors * Sectors.Size;
    public int ChunkShift => BitOperations.Log2((uint)ChunkBytes);

    /// <summary>E: exception entries per metadata area.</summary>
    public int ExceptionsPerArea => ChunkBytes / EntryBytes;

    /// <summary>Chunks from one metadata area to the next (the area plus its data chunks).</summary>
    public ulong Stride => (ulong)ExceptionsPerArea + 1;

    public ulong AreaChunk(ulong area) => 1 + area * Stride;

    public long ChunkOffset(ulong chunk) => (long)(chunk << ChunkShift);

    /// <summary>Chunk 0 (header) and every metadata area chunk.</summary>
    public bool IsMetadataChunk(ulong chunk) => chunk == 0 || chunk % Stride == 1;

    /// <summary>The metadata area whose data chunks include <paramref name="dataChunk"/>.</summary>
    public ulong AreaOfDataChunk(ulong dataChunk) => (dataChunk - 2) / Stride;

    /// <summary>Whole chunks in a device of that many bytes.</summary>
    public ulong ChunksIn(long deviceBytes) => (ulong)deviceBytes >> ChunkShift;

    public ulong ChunkOfByte(long offset) => (ulong)offset >> ChunkShift;

    /// <summary>The chunks a non-empty byte range touches: the first one and how many.</summary>
    public (ulong First, int Count) ChunksCovering(long offset, long length)
    {
        ulong first = ChunkOfByte(offset);
        return (first, (int)(ChunkOfByte(offset + length - 1) - first + 1));
    }
}
