using FleetMerge.Storage.Format;

namespace FleetMerge.Storage.Tests.Format;

/// <summary>The layout of reference §2's worked example, written out as numbers.</summary>
public class GeometryTests
{
    [Fact]
    public void Four_KiB_chunks_have_256_entries_per_area_and_a_stride_of_257()
    {
        var g = ChunkGeometry.FromSectors(8);
        Assert.Equal(256, g.ExceptionsPerArea);
        Assert.Equal(1ul, g.AreaChunk(0));
        Assert.Equal(258ul, g.AreaChunk(1));
        Assert.Equal(515ul, g.AreaChunk(2));
        Assert.True(g.IsMetadataChunk(0));
        Assert.True(g.IsMetadataChunk(258));
        Assert.False(g.IsMetadataChunk(257));
        Assert.False(g.IsMetadataChunk(259));
    }

    [Fact]
    public void Sixteen_KiB_chunks_have_1024_entries_per_area()
    {
        Assert.Equal(1024, ChunkGeometry.FromSectors(32).ExceptionsPerArea);
    }

    [Theory]
    [InlineData("4096", 4096)]
    [InlineData("4K", 4096)]
    [InlineData("16M", 16L << 20)]
    [InlineData("1G", 1L << 30)]
    [InlineData("2g", 2L << 30)]
    [InlineData("8s", 4096)]
    [InlineData("512KB", 512 << 10)]
    public void Sizes_take_suffixes(string text, long bytes) => Assert.Equal(bytes, Units.ParseSize(text));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-4K")]
    [InlineData("1.5M")]
    [InlineData("99999999999999P")]
    public void Bad_sizes_are_refused(string text) => Assert.Throws<BadRequestException>(() => Units.ParseSize(text));
}
