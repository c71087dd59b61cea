using System.Buffers.Binary;

namespace FleetMerge.Storage.Format;

/// <summary>One 16-byte entry of a metadata area: origin chunk → COW chunk holding its old data.</summary>
public readonly record struct DiskException(ulong OldChunk, ulong NewChunk)
{
    /// <summary>new_chunk 0 is the header, so a zero entry ends the table.</summary>
    public bool IsTerminator => NewChunk == 0;

    public static DiskException Read(ReadOnlySpan<byte> area, int index)
    {
        var entry = area.Slice(index * ChunkGeometry.EntryBytes, ChunkGeometry.EntryBytes);
        return new(BinaryPrimitives.ReadUInt64LittleEndian(entry), BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]));
    }

    public void Write(Span<byte> area, int index)
    {
        var entry = area.Slice(index * ChunkGeometry.EntryBytes, ChunkGeometry.EntryBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(entry, OldChunk);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], NewChunk);
    }
}
