using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Tests.Store;

/// <summary>The COW ranges `cow write` reserves before writing cover every chunk the allocations then touch.</summary>
public sealed class SpaceForTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 255)]
    [InlineData(0, 256)]
    [InlineData(100, 600)]
    [InlineData(250, 7)]
    public void The_reserved_ranges_cover_the_next_allocations_and_the_area_zeroed_after_them(int earlier, int next)
    {
        var g = ChunkGeometry.FromBytes(4096);
        var cow = new MemoryBlockFile(8 << 20);
        using var store = ExceptionStore.Format(cow, g);
        for (int i = 0; i < earlier; i++) Assert.NotNull(store.TryPrepare((ulong)i));

        var ranges = store.SpaceFor(next);

        bool Covered(ulong chunk) => ranges.Any(r => g.ChunkOffset(chunk) >= r.Offset && g.ChunkOffset(chunk) + g.ChunkBytes <= r.Offset + r.Length);
        for (int i = 0; i < next; i++)
        {
            var p = store.TryPrepare((ulong)(earlier + i));
            Assert.NotNull(p);
            Assert.True(Covered(p.NewChunk), $"data chunk {p.NewChunk} of allocation {i} is not reserved");
        }
        ulong lastArea = (ulong)((earlier + next - 1) / g.ExceptionsPerArea);
        for (ulong area = 0; area <= lastArea + 1; area++)
            Assert.True(Covered(g.AreaChunk(area)), $"metadata area {area} is not reserved");
    }
}
