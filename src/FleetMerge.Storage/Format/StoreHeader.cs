using System.Buffers.Binary;

namespace FleetMerge.Storage.Format;

/// <summary>
/// The 16 meaningful bytes of chunk 0: magic "SnAp", valid, version, chunk size in sectors,
/// all little-endian. The rest of the header chunk is zeros.
/// </summary>
public readonly record struct StoreHeader(uint Magic, uint Valid, uint Version, uint ChunkSectors)
{
    public const uint SnapMagic = 0x70416E53;
    public const uint CurrentVersion = 1;
    public const int Bytes = 16;

    public static StoreHeader Fresh(ChunkGeometry geometry) =>
        new(SnapMagic, 1, CurrentVersion, geometry.ChunkSectors);

    public bool IsBlank => Magic == 0;
    public bool IsValid => Valid != 0;

    public static StoreHeader Decode(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]));

    /// <summary>Writes the header into a whole header chunk, zero-filling the rest.</summary>
    public void EncodeChunk(Span<byte> chunk)
    {
        chunk.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(chunk, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[4..], Valid);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[12..], ChunkSectors);
    }

    /// <summary>The checks the kernel makes on load; a blank header (magic 0) passes as "new store".</summary>
    public void Validate()
    {
        if (IsBlank) return;
        if (Magic != SnapMagic)
            throw new StoreFormatException($"invalid or corrupt snapshot: bad magic 0x{Magic:x8} (want 0x{SnapMagic:x8} \"SnAp\")");
        if (Version != CurrentVersion)
            throw new StoreFormatException($"unsupported snapshot store version {Version} (only version 1 exists)");
        try { ChunkGeometry.FromSectors(ChunkSectors); }
        catch (BadRequestException e) { throw new StoreFormatException($"bad chunk size in header: {e.Message}"); }
    }
}
