using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;
using Xunit.Abstractions;

namespace FleetMerge.Storage.Tests.Crash;

/// <summary>
/// A write cache may put unflushed writes on the media in any order; only a flush orders them. The kernel
/// commits a metadata area with PREFLUSH+FUA (reference §4, dm-snap-persistent.c persistent_commit_exception
/// → area_io with REQ_PREFLUSH | REQ_FUA): the PREFLUSH makes the copied chunk durable before the entry that
/// points at it can reach the disk. Under <see cref="LossModel.NewestUnflushedOnly"/> (the newest unflushed
/// write of each file survived, the older ones did not) a store that writes the area without flushing the
/// copy first can come back with a committed exception pointing at a COW chunk that never got the old data.
/// </summary>
public class ReorderedCacheCrashTests(ITestOutputHelper output)
{
    private const int Chunk = 4096;

    private static (CrashingDisk Disk, byte[] Old, Origin Origin, ExceptionStore Store, Snapshot Snapshot) Setup(long crashAt)
    {
        var rng = new Random(5);
        byte[] origin = new byte[64 * Chunk];
        rng.NextBytes(origin);
        byte[] cow = new byte[64 * Chunk];
        Array.Fill(cow, (byte)0xEE); // stale data of a reused LV
        using (var fresh = ExceptionStore.Format(new MemoryBlockFile(cow), ChunkGeometry.FromBytes(Chunk))) { }
        var disk = new CrashingDisk(new CrashPlan(crashAt, LossModel.NewestUnflushedOnly));
        var o = new Origin(disk.Add("origin", (byte[])origin.Clone()));
        var store = ExceptionStore.Open(disk.Add("cow", cow), StoreOpenMode.ReadWrite);
        return (disk, origin, o, store, o.Attach(store));
    }

    private static byte[] ViewAfterReboot(CrashingDisk disk, int chunk)
    {
        var images = disk.AfterReboot();
        var o = new Origin(new MemoryBlockFile(images[0], "origin"));
        var s = o.Attach(ExceptionStore.Open(new MemoryBlockFile(images[1], "cow"), StoreOpenMode.ReadWrite));
        byte[] view = new byte[Chunk];
        s.Read((long)chunk * Chunk, view);
        return view;
    }

    /// <summary>
    /// One origin write to chunk 10 of a fresh store (the COW too small for an area 1, so nothing is zeroed
    /// ahead). Today that is four operations: 1 copy origin chunk 10 → COW chunk 2, 2 write area 0 (entry
    /// 10→2), 3 flush the COW, 4 write the origin. Power fails at 3: the area write is the newest unflushed
    /// write of the COW and survives; the copy before it did not. With a flush between 1 and 2 (the kernel's
    /// PREFLUSH) every crash point passes.
    /// </summary>
    [Fact]
    public void Origin_write_the_copied_chunk_is_durable_before_the_entry_that_points_at_it_is_written()
    {
        var (count, _, o0, _, _) = Setup(long.MaxValue);
        o0.Write(10 * Chunk, new byte[Chunk]);
        Assert.True(count.Plan.Operations >= 4, $"{count.Plan.Operations} operations");

        for (long n = 1; n <= count.Plan.Operations; n++)
        {
            var (disk, old, o, _, _) = Setup(n);
            Assert.ThrowsAny<Exception>(() => o.Write(10 * Chunk, new byte[Chunk]));
            var view = ViewAfterReboot(disk, 10);
            Assert.True(view.AsSpan().SequenceEqual(old.AsSpan(10 * Chunk, Chunk)),
                $"crash at operation {n} ({disk.Plan.CrashedOperation}): the snapshot's chunk 10 is not the old origin data " +
                $"(first bytes {Convert.ToHexString(view, 0, 8)}, want {Convert.ToHexString(old, 10 * Chunk, 8)}): " +
                "the entry 10->2 reached the disk but the copy it points at did not (no flush between copy and area write)");
        }
    }

    /// <summary>
    /// A sub-chunk snapshot write to chunk 7 of a fresh store. Today: 1 copy origin chunk 7 → COW chunk 2, 2 write
    /// the new sectors into COW chunk 2, 3 write area 0 (entry 7→2), 4 flush. Power fails at 4: the entry survives,
    /// the chunk's data does not. The write had not returned, so the chunk may read as before or as written;
    /// with the entry durable and the data lost it reads as stale COW bytes.
    /// </summary>
    [Fact]
    public void Snapshot_write_the_chunk_data_is_durable_before_the_entry_that_points_at_it_is_written()
    {
        var (count, _, _, _, s0) = Setup(long.MaxValue);
        s0.Write(7 * Chunk + 1024, new byte[512]);
        Assert.True(count.Plan.Operations >= 4, $"{count.Plan.Operations} operations");

        for (long n = 1; n <= count.Plan.Operations; n++)
        {
            var (disk, old, _, _, s) = Setup(n);
            Assert.ThrowsAny<Exception>(() => s.Write(7 * Chunk + 1024, new byte[512]));
            var view = ViewAfterReboot(disk, 7);
            byte[] before = old.AsSpan(7 * Chunk, Chunk).ToArray();
            byte[] after = (byte[])before.Clone();
            Array.Clear(after, 1024, 512);
            Assert.True(view.AsSpan().SequenceEqual(before) || view.AsSpan().SequenceEqual(after),
                $"crash at operation {n} ({disk.Plan.CrashedOperation}): the snapshot's chunk 7 is neither the old data nor the write " +
                $"(first bytes {Convert.ToHexString(view, 0, 8)}, want {Convert.ToHexString(before, 0, 8)}): " +
                "the entry 7->2 reached the disk without the chunk's data (no flush between the data writes and the area write)");
        }
    }

    /// <summary>Scenario A (one 4K snapshot, crossing area 0 → 1) at every crash point under the reordering cache.</summary>
    [Fact]
    public void Scenario_A_every_crash_point_keeps_snapshot_views_intact_under_a_reordering_cache()
    {
        var r = CrashSweep.Cached(() => CrashScenario.OriginWrites(Chunk), "A 4K", LossModel.NewestUnflushedOnly);
        output.WriteLine(r.Summary());
        var failures = r.FailuresOf(SweepResult.AllChecks);
        Assert.True(failures.Count == 0, SweepResult.Describe(failures));
    }
}
