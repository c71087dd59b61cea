using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Properties;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Merge;

/// <summary>
/// The merge rules (reference §7, §9: no merge of an invalid snapshot, one merge per origin, no new
/// snapshot of a merging origin, the merging snapshot takes no writes) and the failure path (§7 step 6:
/// an I/O error in the copy or the metadata write stops the merge, status "Merge failed", normal I/O
/// goes on through the remaining exceptions).
/// </summary>
public class MergeRuleTests
{
    private const int Chunk = 4096;
    private const int OriginBytes = 2 << 20;

    /// <summary>
    /// Origin with snapshot 0 (4K, the one to merge): 300 entries over two areas (a run, single chunks in
    /// random order, snapshot writes), then sibling 1 (16K) and some more origin writes.
    /// </summary>
    private static MergeBed Bed(int seed = 11, bool sibling = true)
    {
        var rng = new Random(seed);
        var bed = new MergeBed(ViewModel.Payload(OriginBytes, seed));
        bed.AddSnapshot(Chunk);
        bed.ApplyAll(TableShapes.Run(OriginBytes, Chunk, 10, 120, rng.Next()));
        bed.ApplyAll(TableShapes.Shuffled(OriginBytes, Chunk, 200, 150, rng));
        bed.Apply(new BuildOp(BuildKind.SnapshotWrite, 0, 400 * Chunk + 100, 3 * Chunk, rng.Next()));
        if (sibling)
        {
            bed.AddSnapshot(16384);
            bed.ApplyAll(TableShapes.Run(OriginBytes, Chunk, 100, 40, rng.Next()));
        }
        return bed;
    }

    [Fact]
    public void Merging_an_invalid_snapshot_is_refused()
    {
        var bed = Bed();
        bed.Stores[0].Invalidate("test: dropped");
        var e = Assert.Throws<MergeRuleException>(() => SnapshotMerge.Start(bed.Snapshots[0]));
        Assert.Contains("snapshot is invalid; an invalid snapshot cannot be merged", e.Message);
        Assert.Null(bed.Origin.Merging);
        Assert.False(bed.Stores[0].IsMerging);
        // The origin is still a plain origin: writes go through, the valid sibling keeps its view.
        byte[] data = ViewModel.Payload(3 * Chunk, 5);
        bed.Origin.Write(7 * Chunk, data);
        bed.Model.WriteOrigin(7 * Chunk, data);
        ViewModel.AssertSame("origin", bed.Model.Origin, bed.OriginFile.Bytes);
        ViewModel.AssertSame("sibling", bed.Model.Snapshots[1], bed.ReadSnapshot(1));
    }

    [Fact]
    public void A_second_merge_on_the_same_origin_is_refused()
    {
        var bed = Bed();
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        var e = Assert.Throws<MergeRuleException>(() => SnapshotMerge.Start(bed.Snapshots[1]));
        Assert.Contains("cannot merge cow1: origin is already merging cow0", e.Message);
        var again = Assert.Throws<MergeRuleException>(() => SnapshotMerge.Start(bed.Snapshots[0]));
        Assert.Contains("already merging cow0", again.Message);
        Assert.Same(bed.Snapshots[0], bed.Origin.Merging);
        Assert.False(bed.Stores[1].IsMerging);

        Assert.True(merge.Run());
        ViewModel.AssertSame("merged origin", bed.Model.Snapshots[0], bed.OriginFile.Bytes);
        // Once the first merge is over the origin is plain and the other snapshot may merge.
        Assert.True(SnapshotMerge.Start(bed.Snapshots[1]).Run());
        ViewModel.AssertSame("origin after the second merge", bed.Model.Snapshots[1], bed.OriginFile.Bytes);
    }

    [Fact]
    public void A_new_snapshot_of_a_merging_origin_is_refused()
    {
        var bed = Bed();
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        var cow = new MemoryBlockFile(EngineRig.RoomyCowBytes(OriginBytes, Chunk), "cow-new");
        using var store = ExceptionStore.Format(cow, ChunkGeometry.FromBytes(Chunk));
        var e = Assert.Throws<MergeRuleException>(() => bed.Origin.Attach(store));
        Assert.Contains("origin is merging cow0; no new snapshot until the merge ends", e.Message);
        Assert.Equal(2, bed.Origin.Snapshots.Count);

        // Refused between groups too (from the progress callback), and allowed once the merge is over.
        var during = new List<Exception>();
        Assert.True(merge.Run(p =>
        {
            if (bed.Origin.Merging is null) return;
            try { bed.Origin.Attach(store); }
            catch (MergeRuleException x) { during.Add(x); }
        }));
        Assert.NotEmpty(during);
        var late = bed.Origin.Attach(store);
        Assert.Contains(late, bed.Origin.Snapshots);
    }

    [Fact]
    public void A_write_to_the_merging_snapshot_is_refused()
    {
        var bed = Bed();
        byte[] cowBefore = (byte[])bed.CowFiles[0].Bytes.Clone();
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        var e = Assert.Throws<MergeRuleException>(() => bed.Snapshots[0].Write(12 * Chunk, new byte[Chunk]));
        Assert.Contains("cow0: snapshot is merging into its origin; write to the origin instead", e.Message);
        Assert.Equal(cowBefore, bed.CowFiles[0].Bytes);
        // The sibling still takes writes.
        byte[] data = ViewModel.Payload(Chunk, 3);
        bed.Snapshots[1].Write(12 * Chunk, data);
        bed.Model.WriteSnapshot(1, 12 * Chunk, data);
        Assert.True(merge.Run());
        ViewModel.AssertSame("merged origin", bed.Model.Snapshots[0], bed.OriginFile.Bytes);
        ViewModel.AssertSame("sibling", bed.Model.Snapshots[1], bed.ReadSnapshot(1));
    }

    [Fact]
    public void An_exception_beyond_the_end_of_the_origin_is_refused()
    {
        // A store written against a 2 MiB origin, attached to a 1 MiB one (wrong origin).
        var bed = Bed(sibling: false);
        var small = new Origin(new MemoryBlockFile(1 << 20, "small-origin"));
        var snapshot = small.Attach(ExceptionStore.Open(new MemoryBlockFile(bed.CowFiles[0].Bytes, "cow0"), StoreOpenMode.ReadWrite));
        var e = Assert.Throws<MergeRuleException>(() => SnapshotMerge.Start(snapshot));
        Assert.Contains("lies beyond the origin (256 chunks); wrong origin?", e.Message);
        Assert.Null(small.Merging);
        Assert.False(snapshot.Store.IsMerging);
    }

    [Fact]
    public void An_empty_table_merges_at_once_and_leaves_a_plain_origin()
    {
        var bed = new MergeBed(ViewModel.Payload(OriginBytes, 1));
        bed.AddSnapshot(Chunk);
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        var progress = new List<MergeProgress>();
        Assert.True(merge.Run(progress.Add));
        Assert.Single(progress);
        Assert.Equal(0, progress[0].RemainingExceptions);
        Assert.True(MergeChecks.IsDrained(progress[0].Status), progress[0].Status);
        MergeChecks.MergedAndPlain("empty merge", bed.Origin, bed.Snapshots[0], bed.CowFiles[0]);
        ViewModel.AssertSame("origin", bed.Model.Origin, bed.OriginFile.Bytes);
    }

    /// <summary>Where the injected fault hits.</summary>
    public static TheoryData<string> Faults => new(
        "cow-data-read",          // reading COW data for the copy (the read-ahead on the thread pool)
        "origin-data-write",      // writing merged data to the origin
        "origin-flush",           // the origin flush before the commit
        "cow-zero-used-up-area",  // the commit zeroing area 1, which the group emptied
        "cow-area-write",         // the commit writing area 0 with its entries zeroed
        "cow-commit-flush",       // the commit's flush
        "cow-read-previous-area", // reading area 0 when area 1 is used up
        "second-group-origin-write"); // an origin write in the second group of a 17 MiB merge

    [Theory]
    [MemberData(nameof(Faults))]
    public void An_io_error_fails_the_merge_and_the_origin_stays_readable_through_the_remaining_exceptions(string fault)
    {
        MergeBed bed;
        if (fault == "second-group-origin-write")
        {
            // 64K chunks: 16 MiB per group; 17 MiB of single-chunk batches make two groups.
            const int big = (16 << 20) + (1 << 20);
            bed = new MergeBed(ViewModel.Payload(big, 3));
            bed.AddSnapshot(65536);
            bed.ApplyAll(TableShapes.Descending(big, 65536, 0, big / 65536, new Random(4)));
            bed.AddSnapshot(16384);
            bed.ApplyAll(TableShapes.Run(big, 16384, 500, 20, 9));
        }
        else bed = Bed();

        byte[] expected = (byte[])bed.Model.Snapshots[0].Clone();
        var g = bed.Stores[0].Geometry;
        long area0 = g.ChunkOffset(g.AreaChunk(0)), area1 = g.ChunkOffset(g.AreaChunk(1));
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        long initial = merge.InitialExceptions;
        var cow = bed.CowFaults[0];
        var origin = bed.OriginFault;
        switch (fault)
        {
            case "cow-data-read": cow.FailWhen = FaultyBlockFile.Nth(3, (op, off, _) => op == FaultOp.Read && off > area1); break;
            case "origin-data-write": origin.FailWhen = FaultyBlockFile.Nth(2, (op, _, _) => op == FaultOp.Write); break;
            case "origin-flush": origin.FailWhen = (op, _, _) => op == FaultOp.Flush; break;
            case "cow-zero-used-up-area": cow.FailWhen = (op, off, _) => op == FaultOp.Write && off == area1; break;
            case "cow-area-write": cow.FailWhen = (op, off, _) => op == FaultOp.Write && off == area0; break;
            case "cow-commit-flush": cow.FailWhen = (op, _, _) => op == FaultOp.Flush; break;
            case "cow-read-previous-area": cow.FailWhen = (op, off, _) => op == FaultOp.Read && off == area0; break;
        }
        int groups = 0;
        var failed = Assert.Throws<MergeFailedException>(() => merge.Run(_ =>
        {
            groups++;
            if (fault == "second-group-origin-write")
                origin.FailWhen = FaultyBlockFile.Nth(2, (op, _, _) => op == FaultOp.Write);
        }));
        Assert.Contains("cow0: merge failed:", failed.Message);
        Assert.Contains("injected", failed.Message);
        Assert.Equal(fault == "second-group-origin-write" ? 1 : 0, groups);
        Assert.Equal(1, cow.Injected + origin.Injected);
        cow.FailWhen = null;
        origin.FailWhen = null;

        var store = bed.Stores[0];
        Assert.Equal("Merge failed", store.StatusLine());
        Assert.Equal("Merge failed", merge.Progress.Status);
        Assert.True(store.IsMergeFailed);
        Assert.True(store.IsValid);
        Assert.Same(bed.Snapshots[0], bed.Origin.Merging);
        // Nothing uncommitted left the table; a failure in the second group keeps the first group's commit.
        Assert.Equal(fault == "second-group-origin-write" ? initial - 256 : initial, store.RemainingExceptions);

        // The origin reads as the snapshot it is merging, byte for byte, whole and piecewise.
        ViewModel.AssertSame("origin view after the failure", expected, bed.ReadOrigin());
        var rng = new Random(fault.Length);
        for (int i = 0; i < 40; i++)
        {
            int offset = rng.Next(bed.OriginBytes - 1), length = Math.Min(rng.Next(1, 3 * 65536), bed.OriginBytes - offset);
            byte[] piece = new byte[length];
            bed.Origin.Read(offset, piece);
            ViewModel.AssertSame($"origin read {offset}+{length} after the failure", expected.AsSpan(offset, length), piece, offset);
        }
        ViewModel.AssertSame("sibling view after the failure", bed.Model.Snapshots[1], bed.ReadSnapshot(1));
        Assert.Throws<MergeRuleException>(() => SnapshotMerge.Start(bed.Snapshots[0]));

        // The table is still the journal: a fresh activation resumes the merge and completes it.
        bed.Reactivate();
        MergeChecks.AllCowsClean("after the failure", bed.CowFiles, bed.OriginBytes);
        Assert.True(SnapshotMerge.Start(bed.Snapshots[0]).Run());
        ViewModel.AssertSame("origin after the resumed merge", expected, bed.OriginFile.Bytes);
        ViewModel.AssertSame("sibling after the resumed merge", bed.Model.Snapshots[1], bed.ReadSnapshot(1));
        MergeChecks.MergedAndPlain("resumed merge", bed.Origin, bed.Snapshots[0], bed.CowFiles[0], areasUsed: 2);
        MergeChecks.AllCowsClean("after the resumed merge", bed.CowFiles, bed.OriginBytes);
    }

    /// <summary>
    /// After a failed merge the origin still takes writes (routed through the remaining exceptions) and
    /// reads them back; the sibling keeps its view.
    /// </summary>
    [Theory]
    [InlineData("origin-data-write")]
    [InlineData("cow-area-write")]
    public void After_a_failed_merge_origin_writes_and_reads_go_on(string fault)
    {
        var bed = Bed();
        byte[] expected = (byte[])bed.Model.Snapshots[0].Clone();
        var g = bed.Stores[0].Geometry;
        long area0 = g.ChunkOffset(g.AreaChunk(0));
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        if (fault == "origin-data-write") bed.OriginFault.FailWhen = FaultyBlockFile.Nth(2, (op, _, _) => op == FaultOp.Write);
        else bed.CowFaults[0].FailWhen = (op, off, _) => op == FaultOp.Write && off == area0;
        Assert.Throws<MergeFailedException>(() => merge.Run());
        bed.OriginFault.FailWhen = null;
        bed.CowFaults[0].FailWhen = null;

        var rng = new Random(7);
        for (int i = 0; i < 60; i++)
        {
            int offset = rng.Next(OriginBytes - 1), length = Math.Min(rng.Next(1, 5 * Chunk), OriginBytes - offset);
            byte[] data = ViewModel.Payload(length, rng.Next());
            bed.Origin.Write(offset, data);
            data.CopyTo(expected, offset);
            byte[] back = new byte[length];
            bed.Origin.Read(offset, back);
            ViewModel.AssertSame($"write #{i} read back", data, back, offset);
        }
        ViewModel.AssertSame("origin view after writes", expected, bed.ReadOrigin());
        ViewModel.AssertSame("sibling", bed.Model.Snapshots[1], bed.ReadSnapshot(1));
        Assert.Equal("Merge failed", bed.Stores[0].StatusLine());
    }

    /// <summary>
    /// In doubt after a failed commit: the commit's area write reached the disk but its flush failed, so
    /// the next activation may read either table for the group's chunks. (The kernel has this window:
    /// persistent_commit_merge zeroes the entries before area_io, and on error the chunks stay remapped.)
    /// FleetMerge sends later writes to such chunks to both the COW and the origin, so a write that
    /// returned and was flushed survives whichever table the next activation finds.
    /// </summary>
    [Fact]
    public void A_flushed_write_after_a_failed_commit_survives_the_next_activation()
    {
        var bed = new MergeBed(ViewModel.Payload(1 << 20, 1));
        bed.AddSnapshot(Chunk);
        bed.ApplyAll(TableShapes.Run(1 << 20, Chunk, 10, 20, 2));
        byte[] expected = (byte[])bed.Model.Snapshots[0].Clone();
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        bed.CowFaults[0].FailWhen = (op, _, _) => op == FaultOp.Flush; // the commit's flush, after its area write
        Assert.Throws<MergeFailedException>(() => merge.Run());
        bed.CowFaults[0].FailWhen = null;
        byte[] data = ViewModel.Payload(Chunk, 9);
        bed.Origin.Write(15 * Chunk, data);
        bed.Origin.Flush();
        data.CopyTo(expected, 15 * Chunk);
        ViewModel.AssertSame("origin view before the next activation", expected, bed.ReadOrigin());
        bed.Reactivate();
        Assert.True(SnapshotMerge.Start(bed.Snapshots[0]).Run());
        ViewModel.AssertSame("origin after the next activation", expected, bed.OriginFile.Bytes);
    }

    /// <summary>
    /// A sibling that cannot take its copies (COW full, or a COW write error) is dropped as the kernel's
    /// origin-write path drops it (§5, §9); the merge itself goes on and completes.
    /// </summary>
    [Theory]
    [InlineData("full")]
    [InlineData("write-error")]
    public void A_sibling_that_cannot_take_its_copies_is_invalidated_and_the_merge_completes(string how)
    {
        var bed = new MergeBed(ViewModel.Payload(OriginBytes, 21));
        bed.AddSnapshot(Chunk);
        bed.ApplyAll(TableShapes.Run(OriginBytes, Chunk, 30, 60, 22));
        bed.AddSnapshot(Chunk, how == "full" ? 10 * Chunk : null); // room for a handful of exceptions only
        byte[] expected = (byte[])bed.Model.Snapshots[0].Clone();
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        if (how == "write-error") bed.CowFaults[1].FailWhen = (op, offset, _) => op == FaultOp.Write && offset >= 2 * Chunk;
        Assert.True(merge.Run());
        bed.CowFaults[1].FailWhen = null;
        ViewModel.AssertSame("merged origin", expected, bed.OriginFile.Bytes);
        Assert.False(bed.Stores[1].IsValid);
        Assert.Equal("Invalid", bed.Stores[1].StatusLine());
        Assert.Throws<SnapshotInvalidException>(() => bed.ReadSnapshot(1));
        MergeChecks.MergedAndPlain("merge past a dropped sibling", bed.Origin, bed.Snapshots[0], bed.CowFiles[0], areasUsed: 1);
        Assert.False(ExceptionStore.ReadHeader(bed.CowFiles[1]).IsValid);
    }

    /// <summary>Cancelled between groups, the merge stays a merge (reads, writes) and resumes: by Run again, or from the files.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_cancelled_merge_resumes_by_run_or_from_the_files(bool reactivate)
    {
        const int big = (16 << 20) + (512 << 10);
        var bed = new MergeBed(ViewModel.Payload(big, 23));
        bed.AddSnapshot(65536);
        bed.ApplyAll(TableShapes.ShuffledRuns(big, 65536, 0, big / 65536, 5, new Random(24)));
        bed.AddSnapshot(16384);
        bed.ApplyAll(TableShapes.Run(big, 16384, 100, 50, 25));
        byte[] expected = (byte[])bed.Model.Snapshots[0].Clone();
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        using var cancel = new CancellationTokenSource();
        Assert.False(merge.Run(_ => cancel.Cancel(), cancel.Token));
        Assert.Equal(merge.InitialExceptions - 256, merge.Progress.RemainingExceptions);
        Assert.Same(bed.Snapshots[0], bed.Origin.Merging);
        ViewModel.AssertSame("origin view while cancelled", expected, bed.ReadOrigin());

        // Writes while stopped: into a chunk still in the COW (the table's first entry) and one already merged.
        var first = bed.Stores[0].SnapshotOfExceptions().Keys.Min();
        foreach (long at in new[] { (long)first * 65536 + 1000, 3L * 65536 * 85 })
        {
            byte[] data = ViewModel.Payload(5000, (int)at);
            bed.Origin.Write(at, data);
            data.CopyTo(expected, at);
        }
        if (reactivate)
        {
            bed.Reactivate();
            merge = SnapshotMerge.Start(bed.Snapshots[0]);
        }
        Assert.True(merge.Run());
        ViewModel.AssertSame("merged origin", expected, bed.OriginFile.Bytes);
        ViewModel.AssertSame("sibling", bed.Model.Snapshots[1], bed.ReadSnapshot(1));
        MergeChecks.MergedAndPlain("resumed after cancel", bed.Origin, bed.Snapshots[0], bed.CowFiles[0], areasUsed: 1);
    }

    /// <summary>Origin I/O from inside the progress callback does not deadlock (the callback runs between groups).</summary>
    [Fact]
    public async Task Origin_io_from_the_progress_callback_does_not_deadlock()
    {
        var bed = Bed();
        var expected = (byte[])bed.Model.Snapshots[0].Clone();
        var merge = SnapshotMerge.Start(bed.Snapshots[0]);
        var run = Task.Run(() => merge.Run(p =>
        {
            byte[] data = ViewModel.Payload(2 * Chunk, 77);
            bed.Origin.Write(300 * Chunk - 512, data);
            data.CopyTo(expected, 300 * Chunk - 512);
            bed.Origin.Flush();
            byte[] back = new byte[OriginBytes];
            bed.Origin.Read(0, back);
            ViewModel.AssertSame("origin read in the callback", expected, back);
            bed.Snapshots[1].Read(0, back);
            ViewModel.AssertSame("sibling read in the callback", bed.Model.Snapshots[1], back);
        }));
        var first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(first == run, "Run with origin I/O in the progress callback did not finish in 20 s (deadlock?)");
        Assert.True(await run);
        ViewModel.AssertSame("origin", expected, bed.OriginFile.Bytes);
    }
}
