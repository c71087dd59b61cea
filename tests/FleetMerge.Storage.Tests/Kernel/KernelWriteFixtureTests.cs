using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Kernel;

/// <summary>
/// The compatibility bar against the real kernel's dm-snapshot (fixtures from tests/oracle):
/// the same writes give byte-identical COW images, origin and statuses; FleetMerge's view of a
/// kernel-written COW equals the kernel's view.
/// </summary>
public class KernelWriteFixtureTests
{
    public static TheoryData<string> WriteFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(KernelFixture.Root).Order())
            if (File.Exists(Path.Combine(dir, "spec.sh")) && File.Exists(Path.Combine(dir, "writes.txt")))
                data.Add(Path.GetFileName(dir));
        return data;
    }

    [Fact]
    public void The_fixture_set_is_there()
    {
        var names = new List<string>();
        foreach (string row in WriteFixtures()) names.Add(row);
        Assert.Contains("basic-4k", names);
        Assert.Contains("basic-64k", names);
        Assert.Contains("two-snaps", names);
        Assert.Contains("overflow-multichunk", names);
        Assert.Contains("edge-area-end", names);
    }

    [Theory]
    [MemberData(nameof(WriteFixtures))]
    public void Same_writes_give_the_kernels_cow_origin_status_and_views(string name)
    {
        var f = KernelFixture.Load(name);
        var origin = new MemoryBlockFile(f.InitialOrigin());
        var o = new Origin(origin);
        var cows = f.CowBytes.Select(n => new MemoryBlockFile(n)).ToArray();
        var snapshots = cows.Select((cow, i) =>
        {
            var store = ExceptionStore.Format(cow, ChunkGeometry.FromSectors(f.ChunkSectors[i]));
            store.OverflowPolicy = f.StoreTypes[i] == "PO" ? OverflowPolicy.Overflow : OverflowPolicy.Invalidate;
            return o.Attach(store);
        }).ToArray();

        var failed = new List<int>();
        foreach (var w in f.Writes)
        {
            try
            {
                if (w.SnapshotIndex == 0) o.Write(w.Offset, w.Data());
                else snapshots[w.SnapshotIndex - 1].Write(w.Offset, w.Data());
            }
            catch (StorageException e) when (e is SnapshotInvalidException or SnapshotOverflowException)
            {
                failed.Add(w.Seq);
            }
        }

        var kernelFailed = f.Results.Where(r => r.Key is "write_failed" or "write_error")
            .Select(r => int.Parse(r.Value.Split(' ')[0])).Distinct().Order();
        Assert.Equal(kernelFailed, failed);
        Assert.Equal(f.Result("sha256", "origin.img"), KernelFixture.Sha(origin.Bytes));
        for (int i = 0; i < cows.Length; i++)
        {
            Assert.Equal(f.FinalStatus(i + 1), snapshots[i].Store.StatusLine());
            Assert.Equal(f.Result("sha256", $"cow{i + 1}.img"), KernelFixture.Sha(cows[i].Bytes));
            string view = f.Result("sha256", $"view{i + 1}");
            if (view == "unreadable") Assert.False(snapshots[i].Store.IsValid);
            else Assert.Equal(view, KernelFixture.Sha(ReadView(snapshots[i])));
        }
    }

    [Theory]
    [MemberData(nameof(WriteFixtures))]
    public void FleetMerge_reads_the_kernels_cow_as_the_kernel_does(string name)
    {
        var f = KernelFixture.Load(name);
        // The final origin from an independent model: the pattern plus every origin write that the kernel accepted.
        byte[] originBytes = f.InitialOrigin();
        foreach (var w in f.Writes.Where(w => w.SnapshotIndex == 0)) w.Data().CopyTo(originBytes, w.Offset);
        Assert.Equal(f.Result("sha256", "origin.img"), KernelFixture.Sha(originBytes));
        var o = new Origin(new MemoryBlockFile(originBytes));
        for (int i = 0; i < f.CowBytes.Length; i++)
        {
            var cow = new MemoryBlockFile(f.Image($"cow{i + 1}.img"));
            byte[] before = cow.Bytes.ToArray();
            using var store = ExceptionStore.Open(cow, StoreOpenMode.ReadOnly);
            var snapshot = o.Attach(store);
            string view = f.Result("sha256", $"view{i + 1}");
            if (view == "unreadable")
            {
                Assert.False(store.IsValid);
                Assert.Throws<SnapshotInvalidException>(() => snapshot.Read(0, new byte[512]));
            }
            else
            {
                Assert.Equal(view, KernelFixture.Sha(ReadView(snapshot)));
                if (!f.FinalStatus(i + 1).StartsWith("Overflow")) // overflow is a runtime state, not on disk
                    Assert.Equal(f.FinalStatus(i + 1), store.StatusLine());
            }
            Assert.Empty(Toolbox.CowVerification.Findings(cow, originBytes.Length));
            Assert.Equal(before, cow.Bytes);
            o.Detach(snapshot);
        }
    }

    internal static byte[] ReadView(Snapshot snapshot)
    {
        var view = new byte[snapshot.Length];
        for (long at = 0; at < view.Length; at += 4 << 20)
            snapshot.Read(at, view.AsSpan((int)at, (int)Math.Min(4 << 20, view.Length - at)));
        return view;
    }
}
