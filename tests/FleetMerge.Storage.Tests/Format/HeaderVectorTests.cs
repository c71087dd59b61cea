using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Tests.Format;

/// <summary>Reference §12 vector 1 and the header rules of §2–§3, against bytes written out by hand.</summary>
public class HeaderVectorTests
{
    [Fact]
    public void Fresh_store_with_chunk_8_has_the_reference_header_and_a_zero_area_0()
    {
        var cow = new MemoryBlockFile(16 << 20);
        cow.Bytes.AsSpan(4096, 4096).Fill(0xAA); // stale data where area 0 goes
        using var store = ExceptionStore.Format(cow, ChunkGeometry.FromSectors(8));

        byte[] expected = [0x53, 0x6E, 0x41, 0x70, 1, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0];
        Assert.Equal(expected, cow.Bytes[..16]);
        Assert.All(cow.Bytes[16..8192], b => Assert.Equal(0, b));
        Assert.Equal("16/32768 16", store.StatusLine());
    }

    [Theory]
    [InlineData(4096, 8)]
    [InlineData(65536, 128)]
    [InlineData(524288, 1024)]
    public void Header_records_chunk_size_in_sectors(int chunkBytes, uint sectors)
    {
        var cow = new MemoryBlockFile(64L << 20);
        using var store = ExceptionStore.Format(cow, ChunkGeometry.FromBytes(chunkBytes));
        Assert.Equal(sectors, BitConverter.ToUInt32(cow.Bytes, 12));
        Assert.Equal($"{2 * sectors}/{(64L << 20) / 512} {2 * sectors}", store.StatusLine());
    }

    [Fact]
    public void Chunk_size_in_the_header_overrides_the_requested_one()
    {
        var cow = new MemoryBlockFile(16 << 20);
        ExceptionStore.Format(cow, ChunkGeometry.FromBytes(16384)).Dispose();
        using var store = ExceptionStore.Open(cow, StoreOpenMode.ReadWrite, ChunkGeometry.FromBytes(4096));
        Assert.Equal(32u, store.Geometry.ChunkSectors);
    }

    [Fact]
    public void Blank_store_is_initialised_on_read_write_open_as_the_kernel_does()
    {
        var cow = new MemoryBlockFile(1 << 20);
        using var store = ExceptionStore.Open(cow, StoreOpenMode.InitialiseIfBlank, ChunkGeometry.FromSectors(8));
        Assert.Equal(0x70416E53u, BitConverter.ToUInt32(cow.Bytes, 0));
        Assert.Equal("16/2048 16", store.StatusLine());
    }

    [Theory]
    [InlineData(StoreOpenMode.ReadOnly)]
    [InlineData(StoreOpenMode.ReadWrite)]
    public void Blank_store_is_refused_unless_initialising(StoreOpenMode mode)
    {
        var cow = new MemoryBlockFile(1 << 20);
        var e = Assert.Throws<StoreFormatException>(() => ExceptionStore.Open(cow, mode));
        Assert.Contains("blank header", e.Message);
        Assert.All(cow.Bytes, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Wrong_magic_is_invalid_or_corrupt()
    {
        var cow = new MemoryBlockFile(1 << 20);
        cow.Bytes[0] = 0x42;
        var e = Assert.Throws<StoreFormatException>(() => ExceptionStore.Open(cow, StoreOpenMode.ReadWrite));
        Assert.Contains("invalid or corrupt snapshot: bad magic 0x00000042", e.Message);
    }

    [Fact]
    public void Version_other_than_1_is_refused()
    {
        var cow = new MemoryBlockFile(1 << 20);
        ExceptionStore.Format(cow, ChunkGeometry.Default).Dispose();
        cow.Bytes[8] = 2;
        var e = Assert.Throws<StoreFormatException>(() => ExceptionStore.Open(cow, StoreOpenMode.ReadWrite));
        Assert.Contains("unsupported snapshot store version 2", e.Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(12u)]
    [InlineData(4u)]
    [InlineData(2048u)]
    public void Header_chunk_size_must_be_a_supported_power_of_two(uint sectors)
    {
        var cow = new MemoryBlockFile(16 << 20);
        ExceptionStore.Format(cow, ChunkGeometry.Default).Dispose();
        BitConverter.GetBytes(sectors).CopyTo(cow.Bytes, 12);
        var e = Assert.Throws<StoreFormatException>(() => ExceptionStore.Open(cow, StoreOpenMode.ReadWrite));
        Assert.Contains("bad chunk size in header", e.Message);
    }

    [Fact]
    public void Valid_0_opens_as_an_invalid_snapshot_without_reading_the_table()
    {
        var cow = new MemoryBlockFile(1 << 20);
        ExceptionStore.Format(cow, ChunkGeometry.Default).Dispose();
        cow.Bytes[4] = 0;
        cow.Bytes.AsSpan(4096, 16).Fill(0xFF); // garbage table: never read
        using var store = ExceptionStore.Open(cow, StoreOpenMode.ReadWrite);
        Assert.False(store.IsValid);
        Assert.Equal("Invalid", store.StatusLine());
    }

    [Theory]
    [InlineData(3 * 4096 - 512)]
    [InlineData(2 * 4096)]
    [InlineData(100)]
    public void Too_small_stores_are_refused(int bytes)
    {
        var cow = new MemoryBlockFile(bytes);
        Assert.Throws<StoreFormatException>(() => ExceptionStore.Format(cow, ChunkGeometry.Default));
    }

    [Fact]
    public void Size_not_a_whole_number_of_sectors_is_refused()
    {
        var cow = new MemoryBlockFile((1 << 20) + 100);
        var e = Assert.Throws<StoreFormatException>(() => ExceptionStore.Format(cow, ChunkGeometry.Default));
        Assert.Contains("not a whole number of 512-byte sectors", e.Message);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(3000)]
    [InlineData(1 << 20)]
    [InlineData(0)]
    public void Unsupported_chunk_sizes_are_refused(int bytes)
    {
        Assert.Throws<BadRequestException>(() => ChunkGeometry.FromBytes(bytes));
    }
}
