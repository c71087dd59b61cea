using System.Buffers.Binary;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Store;

/// <summary>Reference §12 vectors 2 and 3 and the allocation rules of §4, checked on raw bytes.</summary>
public class AllocationVectorTests
{
    private const int Chunk = 4096;

    private static (MemoryBlockFile origin, MemoryBlockFile cow, Origin o, Snapshot s) Setup(int originChunks = 1024, int cowBytes = 16 << 20)
    {
        var origin = new MemoryBlockFile(originChunks * Chunk);
        var cow = new MemoryBlockFile(cowBytes);
        var o = new Origin(origin);
        var s = o.Attach(ExceptionStore.Format(cow, ChunkGeometry.FromSectors(8)));
        return (origin, cow, o, s);
    }

    private static (ulong Old, ulong New) Entry(byte[] cow, int area, int index)
    {
        int at = (1 + area * 257) * Chunk + index * 16;
        return (BinaryPrimitives.ReadUInt64LittleEndian(cow.AsSpan(at)), BinaryPrimitives.ReadUInt64LittleEndian(cow.AsSpan(at + 8)));
    }

    [Fact]
    public void Origin_chunks_10_11_12_map_to_cow_chunks_2_3_4()
    {
        var (_, cow, o, s) = Setup();
        foreach (int c in new[] { 10, 11, 12 }) o.Write(c * Chunk, new byte[Chunk]);
        Assert.Equal((10ul, 2ul), Entry(cow.Bytes, 0, 0));
        Assert.Equal((11ul, 3ul), Entry(cow.Bytes, 0, 1));
        Assert.Equal((12ul, 4ul), Entry(cow.Bytes, 0, 2));
        Assert.Equal((0ul, 0ul), Entry(cow.Bytes, 0, 3));
        Assert.Equal("40/32768 16", s.Store.StatusLine());
    }

    [Fact]
    public void One_multi_chunk_write_allocates_in_ascending_chunk_order()
    {
        var (_, cow, o, _) = Setup();
        o.Write(50 * Chunk + 100, new byte[3 * Chunk]); // touches chunks 50..53
        for (int i = 0; i < 4; i++) Assert.Equal((50ul + (ulong)i, 2ul + (ulong)i), Entry(cow.Bytes, 0, i));
    }

    [Fact]
    public void The_old_data_lands_in_the_allocated_chunk()
    {
        var (origin, cow, o, _) = Setup();
        origin.Bytes.AsSpan(7 * Chunk, Chunk).Fill(0x77);
        o.Write(7 * Chunk + 512, new byte[512]);
        Assert.All(cow.Bytes.AsSpan(2 * Chunk, Chunk).ToArray(), b => Assert.Equal(0x77, b));
    }

    [Fact]
    public void Filling_area_0_zeroes_area_1_and_allocation_skips_chunk_258()
    {
        var (_, cow, o, s) = Setup(originChunks: 1024);
        cow.Bytes.AsSpan(258 * Chunk, Chunk).Fill(0xEE); // stale bytes where area 1 will go
        for (int c = 0; c < 255; c++) o.Write(c * Chunk, new byte[Chunk]);
        Assert.Equal(0xEE, cow.Bytes[258 * Chunk]); // as the kernel: area 1 is zeroed only when area 0 fills
        o.Write(255 * Chunk, new byte[Chunk]);      // the 256th exception fills area 0
        Assert.All(cow.Bytes.AsSpan(258 * Chunk, Chunk).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal((255ul, 257ul), Entry(cow.Bytes, 0, 255));
        Assert.Equal("2072/32768 24", s.Store.StatusLine()); // next_free 259, area 1 current
        o.Write(300 * Chunk, new byte[Chunk]);
        Assert.Equal((300ul, 259ul), Entry(cow.Bytes, 1, 0));
        Assert.Equal("2080/32768 24", s.Store.StatusLine());
    }

    [Fact]
    public void Reload_recomputes_next_free_and_continues_the_table()
    {
        var (originFile, cow, o, s) = Setup();
        for (int c = 0; c < 300; c++) o.Write(c * Chunk, new byte[Chunk]);
        string before = s.Store.StatusLine();
        using var reopened = ExceptionStore.Open(cow, StoreOpenMode.ReadWrite);
        Assert.Equal(before, reopened.StatusLine());
        Assert.Equal(300, reopened.ExceptionCount);
        var o2 = new Origin(originFile);
        o2.Attach(reopened);
        o2.Write(600 * Chunk, new byte[Chunk]);
        Assert.Equal((600ul, 303ul), Entry(cow.Bytes, 1, 44)); // 2..257 (256), 259..302 (44) → next 303
    }

    [Fact]
    public void Rewrites_of_copied_chunks_allocate_nothing()
    {
        var (_, _, o, s) = Setup();
        o.Write(5 * Chunk, new byte[Chunk]);
        string status = s.Store.StatusLine();
        o.Write(5 * Chunk, new byte[Chunk]);
        o.Write(5 * Chunk + 17, new byte[100]);
        Assert.Equal(status, s.Store.StatusLine());
        Assert.Equal(1, s.Store.ExceptionCount);
    }

    [Fact]
    public void Snapshot_write_to_a_fresh_chunk_copies_the_rest_of_the_chunk_from_the_origin()
    {
        var (origin, cow, _, s) = Setup();
        origin.Bytes.AsSpan(9 * Chunk, Chunk).Fill(0x11);
        s.Write(9 * Chunk + 1024, Enumerable.Repeat((byte)0x22, 512).ToArray());
        var data = cow.Bytes.AsSpan(2 * Chunk, Chunk).ToArray();
        Assert.All(data[..1024], b => Assert.Equal(0x11, b));
        Assert.All(data[1024..1536], b => Assert.Equal(0x22, b));
        Assert.All(data[1536..], b => Assert.Equal(0x11, b));
        Assert.Equal((9ul, 2ul), Entry(cow.Bytes, 0, 0));
        Assert.All(origin.Bytes.AsSpan(9 * Chunk, Chunk).ToArray(), b => Assert.Equal(0x11, b));
    }

    [Fact]
    public void Origin_write_filling_the_cow_invalidates_the_snapshot_and_still_writes_the_origin()
    {
        // 5 chunks: header, area 0, data 2..4 → room for exactly 3 exceptions ((next_free+1)*8 <= 40).
        var (origin, cow, o, s) = Setup(cowBytes: 5 * Chunk);
        for (int c = 0; c < 3; c++) o.Write(c * Chunk, new byte[Chunk]);
        Assert.True(s.Store.IsValid);
        o.Write(3 * Chunk, Enumerable.Repeat((byte)9, Chunk).ToArray());
        Assert.False(s.Store.IsValid);
        Assert.Equal("Invalid", s.Store.StatusLine());
        Assert.Equal(0u, BitConverter.ToUInt32(cow.Bytes, 4));
        Assert.Equal(9, origin.Bytes[3 * Chunk]);
        Assert.Throws<SnapshotInvalidException>(() => s.Read(0, new byte[Chunk]));
        Assert.Throws<SnapshotInvalidException>(() => s.Write(0, new byte[Chunk]));
        o.Write(4 * Chunk, new byte[Chunk]); // the origin keeps working
        using var reopened = ExceptionStore.Open(cow, StoreOpenMode.ReadWrite);
        Assert.False(reopened.IsValid);
    }

    [Fact]
    public void Snapshot_write_filling_the_cow_fails_and_invalidates()
    {
        var (_, _, _, s) = Setup(cowBytes: 4 * Chunk);
        s.Write(0, new byte[Chunk]);
        s.Write(Chunk, new byte[Chunk]);
        var e = Assert.Throws<SnapshotInvalidException>(() => s.Write(2 * Chunk, new byte[Chunk]));
        Assert.Contains("full", e.Message);
        Assert.Equal("Invalid", s.Store.StatusLine());
    }

    [Fact]
    public void Reads_and_writes_outside_the_device_are_refused()
    {
        var (_, cow, o, s) = Setup(originChunks: 4);
        byte[] before = cow.Bytes.ToArray();
        Assert.Throws<BadRequestException>(() => o.Write(4 * Chunk - 1, new byte[2]));
        Assert.Throws<BadRequestException>(() => s.Write(-1, new byte[1]));
        Assert.Throws<BadRequestException>(() => s.Read(4 * Chunk, new byte[1]));
        Assert.Equal(before, cow.Bytes);
    }
}
