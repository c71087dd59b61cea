using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Crash;
using FleetMerge.Storage.Tests.Properties;
using Xunit.Abstractions;

namespace FleetMerge.Storage.Tests.Merge;

/// <summary>
/// Crash sweeps of a merge (reference §10: the on-disk table is the only journal; every batch is idempotent;
/// after a restart the merge resumes from the files alone). See <see cref="MergeCrashSweep"/> for the checks.
/// </summary>
public class MergeCrashTests(ITestOutputHelper output)
{
    public static readonly LossModel[] Models = [LossModel.KeepUnflushed, LossModel.DropUnflushed, LossModel.NewestUnflushedOnly];

    /// <summary>
    /// 2 MiB + 1.5 KiB origin; the merging snapshot (4K) has 343 entries (~150 batches) over two metadata areas: a
    /// consecutive run, chunks in random order, chunks written top-down, snapshot writes, the partial last
    /// chunk; a 16K sibling taken half way needs 76 copies. One group.
    /// </summary>
    internal static MergeCrashCase Small() => MergeCrashCase.Make("small: 4K merging (2 areas) + 16K sibling, one group",
        (2 << 20) + 1536, 31, bed =>
        {
            var rng = new Random(32);
            int ob = bed.OriginBytes;
            bed.AddSnapshot(4096);
            bed.ApplyAll(TableShapes.Run(ob, 4096, 10, 150, 1));
            bed.ApplyAll(TableShapes.Shuffled(ob, 4096, 300, 100, rng));
            bed.ApplyAll(TableShapes.Descending(ob, 4096, 200, 40, rng));
            bed.AddSnapshot(16384);
            bed.ApplyAll(TableShapes.Run(ob, 4096, 470, 43, 2)); // to the partial last chunk
            bed.Apply(new BuildOp(BuildKind.SnapshotWrite, 0, 420 * 4096 + 7, 9000, 3));
            bed.Apply(new BuildOp(BuildKind.SnapshotWrite, 0, 180 * 4096, 4096, 4));
            bed.Apply(new BuildOp(BuildKind.SnapshotWrite, 0, 0, 512, 5));
            bed.ApplyAll(TableShapes.Chunks(ob, 4096, [5, 160, 161, 162, 250], rng));
        }, merging: 0);

    private const int LargeOrigin = (16 << 20) + (512 << 10) + 4096; // 265 chunks of 64K, the last one partial

    private static void BuildLarge(MergeBed bed)
    {
        var rng = new Random(42);
        bed.AddSnapshot(65536);
        bed.ApplyAll(TableShapes.ShuffledRuns(LargeOrigin, 65536, 0, 40, 4, rng));
        bed.AddSnapshot(16384);
        bed.ApplyAll(TableShapes.ShuffledRuns(LargeOrigin, 65536, 40, 225, 12, rng));
        bed.Apply(new BuildOp(BuildKind.SnapshotWrite, 0, 10 * 65536 + 4096, 8192, 6));
        bed.Apply(new BuildOp(BuildKind.SnapshotWrite, 0, 50 * 65536 - 512, 1024, 7));
    }

    /// <summary>
    /// 16.5 MiB origin; the merging snapshot (64K) holds every chunk as shuffled runs of 1..12 chunks (a
    /// fragmented table of ~60 batches); a 16K sibling taken after the first 40 chunks needs copies of those
    /// (and crosses into its metadata area 1 while getting them). Two groups: 16 MiB, then the rest.
    /// </summary>
    internal static MergeCrashCase Large() =>
        MergeCrashCase.Make("large: 64K merging, fragmented, two groups + 16K sibling", LargeOrigin, 41, BuildLarge, merging: 0);

    /// <summary>
    /// <see cref="Large"/> with origin writes (sector-aligned, 512 B .. 96 KiB) and origin flushes before the
    /// first group, between the groups, after the last one and once the origin is plain again: into chunks the
    /// COW still holds, chunks already merged, across both.
    /// </summary>
    internal static MergeCrashCase LargeWithWrites() =>
        MergeCrashCase.Make("large with origin writes between groups", LargeOrigin, 41, BuildLarge, merging: 0, bed =>
        {
            const int c = 65536;
            var table = ExceptionTable.Read(new MemoryBlockFile(bed.CowFiles[0].Bytes), ChunkGeometry.FromBytes(c)).Entries;
            // Group 1 takes the last 256 entries; group 2 the first ones.
            long[] second = table.Take(table.Count - 256).Select(e => (long)e.OldChunk).ToArray();
            long[] first = table.Skip(table.Count - 256).Select(e => (long)e.OldChunk).ToArray();
            if (second.Length < 3) throw new InvalidOperationException($"only {second.Length} entries for group 2");
            int seed = 100;
            MergeWriteStep W(long offset, int length) => new(offset, ViewModel.Payload((int)Math.Min(length, LargeOrigin - offset), seed++));
            return
            [
                [W(first[5] * c + 512, 3 * 512), W(first[100] * c, c), new MergeFlushStep(), W(second[0] * c + 4096, 8192), W(first[5] * c, 4096)],
                [
                    W(second[1] * c, 2048), W(first[7] * c + 1024, 512), W(second[1] * c + c - 4096, 4096 + 8192), new MergeFlushStep(),
                    W(second[1] * c, 1024), W(first[200] * c, 96 << 10), W(second[2] * c + 512, 512),
                ],
                // After the last group, still merging; no flush here, so that only the merge's own commit flush can
                // have made the last group's commit durable when the flush below completes.
                [W(second[0] * c + 4096, 512), W(first[5] * c, 8192)],
                // Plain again: flushed writes into chunks of the last group must not be undone by a later activation.
                [W(second[0] * c, 2048), new MergeFlushStep(), W(first[9] * c, 4096)],
            ];
        });

    private void Sweep(MergeCrashCase c, int minGroups)
    {
        var r = MergeCrashSweep.Run(c, Models);
        output.WriteLine(r.Summary());
        Assert.True(r.Groups >= minGroups, $"{r.Groups} groups");
        Assert.Equal(r.TotalOps * Models.Length, r.Runs);
        Assert.True(r.Failures.IsEmpty, r.Describe());
    }

    [Fact]
    public void Small_merge_every_crash_point_resumes_to_the_snapshot_view() => Sweep(Small(), 1);

    [Fact]
    public void Fragmented_two_group_merge_every_crash_point_resumes_to_the_snapshot_view() => Sweep(Large(), 2);

    [Fact]
    public void Two_group_merge_with_origin_writes_every_crash_point_keeps_flushed_writes() => Sweep(LargeWithWrites(), 2);
}
