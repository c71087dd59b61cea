using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Toolbox;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Store;

/// <summary>
/// A merge commit rewrites an area with its tail zeroed, in one multi-sector write. A power loss can land
/// the first sectors only (found by ops/torture.sh power-loss-merge, seed 7 trial 16): the table then ends
/// early and non-zero entries stay after its terminator in the same area. The kernel's reader stops at
/// the terminator; the store must reopen, verify clean, and never make those entries reachable again.
/// </summary>
public class TornMergeCommitTests
{
    private const int Chunk = 4096;

    /// <summary>40 exceptions (origin chunks 0..39), then a commit that zeroed entries 20..39 of which only sector 0 (entries 0..31) landed.</summary>
    private static (byte[] Origin, byte[] Cow) TornStore()
    {
        var originFile = new MemoryBlockFile(1024 * Chunk, "origin");
        var cowFile = new MemoryBlockFile(16 << 20, "cow");
        var o = new Origin(originFile);
        o.Attach(ExceptionStore.Format(cowFile, ChunkGeometry.FromBytes(Chunk)));
        for (int c = 0; c < 40; c++) o.Write((long)c * Chunk, Enumerable.Repeat((byte)(c + 1), Chunk).ToArray());
        cowFile.Bytes.AsSpan(Chunk + 20 * 16, 12 * 16).Clear();
        return (originFile.Bytes, cowFile.Bytes);
    }

    [Fact]
    public void Entries_left_after_the_terminator_by_a_torn_merge_commit_are_no_finding_and_the_store_reopens()
    {
        var (_, cow) = TornStore();
        Assert.Empty(CowVerification.Findings(new MemoryBlockFile(cow, "cow"), 1024 * Chunk));
        using var store = ExceptionStore.Open(new MemoryBlockFile(cow, "cow"), StoreOpenMode.ReadWrite);
        Assert.Equal(20, store.ExceptionCount);
    }

    [Fact]
    public void New_exceptions_after_the_reopen_never_make_the_old_entries_reachable_again()
    {
        var (origin, cow) = TornStore();
        var o = new Origin(new MemoryBlockFile(origin, "origin"));
        o.Attach(ExceptionStore.Open(new MemoryBlockFile(cow, "cow"), StoreOpenMode.ReadWrite));
        for (int c = 100; c < 115; c++) o.Write((long)c * Chunk, new byte[Chunk]); // entries 20..34: past the stale ones at 32..39

        var table = ExceptionTable.Read(new MemoryBlockFile(cow, "cow"), ChunkGeometry.FromBytes(Chunk));
        Assert.Equal(35, table.Entries.Count);
        Assert.Equal(Enumerable.Range(100, 15).Select(c => (ulong)c), table.Entries.Skip(20).Select(e => e.OldChunk));
        Assert.Empty(CowVerification.Findings(new MemoryBlockFile(cow, "cow"), 1024 * Chunk));
    }
}
