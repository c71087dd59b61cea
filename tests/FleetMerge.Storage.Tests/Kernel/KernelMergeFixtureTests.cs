using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Kernel;

/// <summary>
/// FleetMerge's merge of kernel-written stores against the kernel's own snapshot-merge of the same
/// stores: the merged origin, the merged COW (table zeroed, data left) and every other snapshot's
/// COW (its copies, in the kernel's order) byte for byte, and their views unchanged.
/// </summary>
public class KernelMergeFixtureTests
{
    public static TheoryData<string> MergeFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(KernelFixture.Root).Order())
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith("merge-") && name != "merge-invalid") data.Add(name);
        }
        return data;
    }

    private static (byte[] Origin, MemoryBlockFile[] Cows, KernelFixture Source) Inputs(KernelFixture merge)
    {
        var source = KernelFixture.Load(merge.Results.First(r => r.Key == "source_fixture").Value.Trim());
        byte[] origin = source.InitialOrigin();
        foreach (var w in source.Writes.Where(w => w.SnapshotIndex == 0)) w.Data().CopyTo(origin, w.Offset);
        Assert.Equal(merge.Result("sha256", "input_origin.img"), KernelFixture.Sha(origin));
        var cows = Enumerable.Range(1, source.CowBytes.Length).Select(i => new MemoryBlockFile(source.Image($"cow{i}.img"))).ToArray();
        for (int i = 0; i < cows.Length; i++)
            Assert.Equal(merge.Result("sha256", $"input_cow{i + 1}.img"), KernelFixture.Sha(cows[i].Bytes));
        return (origin, cows, source);
    }

    [Fact]
    public void The_merge_fixture_set_is_there()
    {
        var names = new List<string>();
        foreach (string row in MergeFixtures()) names.Add(row);
        Assert.Contains("merge-basic-4k", names);
        Assert.Contains("merge-basic-64k", names);
        Assert.Contains("merge-two-snaps", names);
    }

    [Theory]
    [MemberData(nameof(MergeFixtures))]
    public void FleetMerge_merges_a_kernel_store_into_the_kernels_result(string name)
    {
        var f = KernelFixture.Load(name);
        var (originBytes, cows, _) = Inputs(f);
        var originFile = new MemoryBlockFile(originBytes);
        var origin = new Origin(originFile);
        var snapshots = cows.Select(c => origin.Attach(ExceptionStore.Open(c, StoreOpenMode.ReadWrite))).ToArray();
        var othersBefore = snapshots.Skip(1).Select(s => KernelFixture.Sha(KernelWriteFixtureTests.ReadView(s))).ToArray();

        var merge = SnapshotMerge.Start(snapshots[0]);
        var statuses = new List<string>();
        Assert.True(merge.Run(p => statuses.Add(p.Status)));

        Assert.Equal(f.Result("sha256", "merged_origin"), KernelFixture.Sha(originFile.Bytes));
        Assert.Equal(f.Result("sha256", "cow1.img"), KernelFixture.Sha(cows[0].Bytes));
        string kernelFinal = f.Result("status", "final merge");
        Assert.Equal(kernelFinal[(kernelFinal.IndexOf("snapshot-merge ", StringComparison.Ordinal) + "snapshot-merge ".Length)..], statuses[^1]);
        Assert.Null(origin.Merging);
        Assert.DoesNotContain(snapshots[0], origin.Snapshots);
        for (int i = 1; i < cows.Length; i++)
        {
            Assert.Equal(f.Result("sha256", $"cow{i + 1}.img"), KernelFixture.Sha(cows[i].Bytes));
            Assert.Equal(othersBefore[i - 1], KernelFixture.Sha(KernelWriteFixtureTests.ReadView(snapshots[i])));
            Assert.Equal(f.Result("sha256", $"view{i + 1}_after"), othersBefore[i - 1]);
        }
    }

    [Fact]
    public void An_invalid_snapshot_is_refused_as_the_kernel_refuses_it()
    {
        var f = KernelFixture.Load("merge-invalid");
        var (originBytes, cows, _) = Inputs(f);
        var origin = new Origin(new MemoryBlockFile(originBytes));
        var snapshot = origin.Attach(ExceptionStore.Open(cows[0], StoreOpenMode.ReadWrite));
        var e = Assert.Throws<MergeRuleException>(() => SnapshotMerge.Start(snapshot));
        Assert.Contains("invalid", e.Message);
        Assert.Equal(f.Result("sha256", "cow1.img"), KernelFixture.Sha(cows[0].Bytes));
        Assert.Equal(f.Result("sha256", "origin.img"), KernelFixture.Sha(originBytes));
        Assert.Null(origin.Merging);
    }
}
