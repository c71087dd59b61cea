using FleetMerge.Storage.Format;

namespace FleetMerge.Storage.Groups;

/// <summary>The size rules checked before any file is created, so a refused request leaves nothing behind.</summary>
public static class SizeRules
{
    /// <summary>A volume (origin image or COW) is a positive whole number of 512-byte sectors.</summary>
    public static void CheckSize(long bytes, string what)
    {
        if (bytes <= 0) throw new BadRequestException($"{what} size {bytes} bytes: it must be at least one sector (512 bytes)");
        if (bytes % Sectors.Size != 0)
            throw new BadRequestException($"{what} size {bytes} bytes is not a multiple of {Sectors.Size} (whole sectors)");
    }

    /// <summary>
    /// A snapshot's COW: whole sectors, a chunk size that is a power of two from 4K to 512K, and room
    /// for the header, metadata area 0 and one data chunk (the engine's store minimum).
    /// </summary>
    public static ChunkGeometry CheckSnapshot(long cowBytes, int chunkBytes)
    {
        CheckSize(cowBytes, "COW");
        var geometry = ChunkGeometry.FromBytes(chunkBytes);
        if (geometry.ChunksIn(cowBytes) < 3)
            throw new BadRequestException(
                $"COW size {Units.FormatSize(cowBytes)} is too small for chunk size {Units.FormatSize(chunkBytes)}: " +
                $"a store needs at least 3 chunks ({Units.FormatSize(3L * chunkBytes)})");
        return geometry;
    }
}
