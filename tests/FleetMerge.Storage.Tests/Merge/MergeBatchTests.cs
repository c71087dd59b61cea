using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Properties;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Merge;

/// <summary>
/// How the table is cut into batches (reference §7 step 1, §12.3): from the end backwards, a batch extends
/// while both the origin chunk and the COW chunk step down by one, never across a metadata area.
/// </summary>
public class MergeBatchTests
{
    private const int Chunk = 4096;
    private const int OriginBytes = 1 << 20;

    [Fact]
    public void Reference_vector_consecutive_entries_merge_as_one_batch_and_an_unrelated_entry_splits_them()
    {
        var bed = new MergeBed(ViewModel.Payload(OriginBytes, 1));
        bed.AddSnapshot(Chunk);
        foreach (long c in new long[] { 10, 11, 12, 50 })
            bed.Apply(new BuildOp(BuildKind.OriginWrite, 0, c * Chunk, Chunk, (int)c));
        Assert.Equal(new Dictionary<ulong, ulong> { [10] = 2, [11] = 3, [12] = 4, [50] = 5 }, bed.Stores[0].SnapshotOfExceptions());
        long cowSectors = bed.CowFiles[0].Length / 512;
        Assert.Equal($"48/{cowSectors} 16", bed.Stores[0].StatusLine());

        SnapshotMerge.Start(bed.Snapshots[0]);
        var batches = bed.Stores[0].TakeMergeBatches(SnapshotMerge.GroupBatches, SnapshotMerge.GroupBytes / Chunk);
        Assert.Equal([new MergeBatch(50, 5, 1), new MergeBatch(10, 2, 3)], batches);
    }

    [Fact]
    public void A_run_is_cut_at_the_metadata_area_boundary()
    {
        // 300 chunks in one write: entries 0..255 in area 0, 256..299 in area 1; COW chunks skip area 1's chunk 258.
        const int origin = 2 << 20;
        var bed = new MergeBed(ViewModel.Payload(origin, 2));
        bed.AddSnapshot(Chunk);
        bed.ApplyAll(TableShapes.Run(origin, Chunk, 0, 300, 3));
        SnapshotMerge.Start(bed.Snapshots[0]);
        var batches = bed.Stores[0].TakeMergeBatches(SnapshotMerge.GroupBatches, SnapshotMerge.GroupBytes / Chunk);
        Assert.Equal([new MergeBatch(256, 259, 44), new MergeBatch(0, 2, 256)], batches);
    }

    /// <summary>
    /// A table with a hole (a COW chunk allocated and never committed, as a crash or a failed copy leaves in
    /// a kernel store): entries 10→2, 11→4, 12→5. Origin chunks 10..12 are consecutive but the COW chunks are
    /// not, so 12 and 11 merge as one batch and 10 alone; merging 10..12 from COW 3..5 would copy the hole.
    /// </summary>
    [Fact]
    public void A_hole_in_the_cow_splits_a_run_of_consecutive_origin_chunks()
    {
        byte[] origin = ViewModel.Payload(OriginBytes, 4);
        var cow = new MemoryBlockFile(EngineRig.RoomyCowBytes(OriginBytes, Chunk), "cow0");
        using (ExceptionStore.Format(cow, ChunkGeometry.FromBytes(Chunk))) { }
        var g = ChunkGeometry.FromBytes(Chunk);
        byte[] area = new byte[Chunk];
        (ulong Old, ulong New)[] entries = [(10, 2), (11, 4), (12, 5)];
        for (int i = 0; i < entries.Length; i++) new DiskException(entries[i].Old, entries[i].New).Write(area, i);
        byte[] expected = (byte[])origin.Clone();
        foreach (var (oldChunk, newChunk) in entries)
        {
            byte[] data = ViewModel.Payload(Chunk, (int)(100 + oldChunk));
            cow.Write(g.ChunkOffset(newChunk), data);
            data.CopyTo(expected, (int)g.ChunkOffset(oldChunk));
        }
        cow.Write(g.ChunkOffset(3), ViewModel.Payload(Chunk, 999)); // the hole: never committed
        cow.Write(g.ChunkOffset(g.AreaChunk(0)), area);

        var originFile = new MemoryBlockFile((byte[])origin.Clone(), "origin");
        var o = new Origin(originFile);
        var snapshot = o.Attach(ExceptionStore.Open(cow, StoreOpenMode.ReadWrite));
        byte[] view = new byte[OriginBytes];
        snapshot.Read(0, view);
        ViewModel.AssertSame("snapshot view of the hand-made table", expected, view);

        var merge = SnapshotMerge.Start(snapshot);
        Assert.True(merge.Run());
        ViewModel.AssertSame("merged origin", expected, originFile.Bytes);
        MergeChecks.MergedAndPlain("hole table", o, snapshot, cow, areasUsed: 1);
    }

    [Fact]
    public void Over_4096_single_chunk_batches_take_two_groups()
    {
        // 4K chunks written top-down: every entry its own batch; 4100 of them (16 MiB + 16 KiB).
        const int origin = (16 << 20) + (16 << 10);
        var bed = new MergeBed(ViewModel.Payload(origin, 5));
        bed.AddSnapshot(Chunk);
        bed.ApplyAll(TableShapes.Descending(origin, Chunk, 0, origin / Chunk, new Random(6)));
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        var remaining = new List<long>();
        Assert.True(merge.Run(p => remaining.Add(p.RemainingExceptions)));
        Assert.Equal([4, 0, 0], remaining);
        ViewModel.AssertSame("merged origin", bed.Model.Snapshots[0], bed.OriginFile.Bytes);
        MergeChecks.MergedAndPlain("4100 batches", bed.Origin, bed.Snapshots[0], bed.CowFiles[0], areasUsed: 17);
    }
}
