using System.Buffers.Binary;

namespace FleetMerge.Torture.Cli;

/// <summary>
/// A reader of the dm-snapshot persistent store written from the format alone, sharing no code with
/// the engine: header (magic, valid, chunk sectors), areas of 16-byte entries at chunk 1 + k(E+1),
/// the table ending at the first entry whose new chunk is 0. The torture checks read views with it
/// so that a bug of the engine's reader cannot hide a bug of its writer.
/// </summary>
public sealed class RawCow
{
    private const uint Magic = 0x70416E53;

    private RawCow(int chunkBytes, bool valid, List<(ulong Old, ulong New)> entries)
    {
        ChunkBytes = chunkBytes;
        Valid = valid;
        Entries = entries;
    }

    public int ChunkBytes { get; }

    public bool Valid { get; }

    /// <summary>The table in on-disk order.</summary>
    public List<(ulong Old, ulong New)> Entries { get; }

    public static RawCow Read(string path)
    {
        using var file = File.OpenHandle(path);
        long length = RandomAccess.GetLength(file);
        var header = new byte[16];
        if (RandomAccess.Read(file, header, 0) != 16) throw new InvalidDataException($"{path}: short header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) throw new InvalidDataException($"{path}: bad magic");
        bool valid = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)) == 1;
        int chunkBytes = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12)) * 512);
        int perArea = chunkBytes / 16;
        var entries = new List<(ulong, ulong)>();
        var area = new byte[chunkBytes];
        for (long k = 0; ; k++)
        {
            long offset = (1 + k * (perArea + 1)) * chunkBytes;
            if (offset + chunkBytes > length) break;
            if (RandomAccess.Read(file, area, offset) != chunkBytes) throw new InvalidDataException($"{path}: short area {k}");
            for (int i = 0; i < perArea; i++)
            {
                ulong oldChunk = BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(i * 16));
                ulong newChunk = BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(i * 16 + 8));
                if (newChunk == 0) return new RawCow(chunkBytes, valid, entries);
                entries.Add((oldChunk, newChunk));
            }
        }
        return new RawCow(chunkBytes, valid, entries);
    }

    /// <summary>The snapshot's view: the origin's bytes, with every chunk in the table read from the COW instead.</summary>
    public static byte[] View(string originPath, string cowPath)
    {
        var table = Read(cowPath);
        if (!table.Valid) throw new InvalidDataException($"{cowPath}: snapshot is marked invalid");
        var view = File.ReadAllBytes(originPath);
        using var cow = File.OpenHandle(cowPath);
        long chunk = table.ChunkBytes;
        foreach (var (oldChunk, newChunk) in table.Entries)
        {
            long at = (long)oldChunk * chunk;
            if (at >= view.Length) throw new InvalidDataException($"{cowPath}: exception for origin chunk {oldChunk} beyond the origin");
            int length = (int)Math.Min(chunk, view.Length - at);
            if (RandomAccess.Read(cow, view.AsSpan((int)at, length), (long)newChunk * chunk) != length)
                throw new InvalidDataException($"{cowPath}: short read of COW chunk {newChunk}");
        }
        return view;
    }
}
