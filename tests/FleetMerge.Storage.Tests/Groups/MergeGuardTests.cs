using FleetMerge.Storage.Groups;
using FleetMerge.Storage.IO;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>The merge rules on real volumes: each refusal is clear and changes nothing.</summary>
public class MergeGuardTests
{
    [Theory]
    [InlineData(MergeMode.NameOrigin)]
    [InlineData(MergeMode.OnActivate)]
    public void No_new_snapshot_of_a_merging_origin(MergeMode mode)
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.Merge("s1", mode);
        long seqno = rig.Vg.Metadata.Seqno;
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.CreateSnapshot("root", "s2", 128 * K));
        Assert.Equal("cannot snapshot vg0/root: it is merging snapshot vg0/s1; wait until the merge ends", e.Message);
        Assert.Equal(seqno, rig.Vg.Metadata.Seqno);
        Assert.Equal(["root.img", "s1.cow"], rig.VolumeFiles());
    }

    [Fact]
    public void No_second_merge_on_the_same_origin()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.CreateSnapshot("root", "s2", 128 * K);
        var first = rig.Vg.Merge("s1");
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("s2", MergeMode.OnActivate));
        Assert.Equal("cannot merge snapshot vg0/s2 into vg0/root: vg0/root is already merging snapshot vg0/s1", e.Message);
        Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("s1"));
        Assert.Null(rig.Vg.Metadata.Find("s2")!.Merge);
        Assert.True(first!.Run());
        Assert.NotNull(rig.Vg.Merge("s2")); // allowed once the first one ended
    }

    [Fact]
    public void No_merge_of_an_invalid_snapshot_active_or_not()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 12 * K); // room for one data chunk
        rig.Upgrade("root", origin);                 // needs many: the snapshot is dropped
        Assert.Equal("swi-I-s---", rig.Vg.Report("s1").Attr);
        long seqno = rig.Vg.Metadata.Seqno;
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("s1"));
        Assert.Equal("cannot merge vg0/s1: the snapshot is invalid", e.Message);
        rig.Vg.Deactivate("root");
        Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("s1", MergeMode.OnActivate)); // from the COW header
        Assert.Equal(seqno, rig.Vg.Metadata.Seqno);
    }

    [Fact]
    public void Only_snapshots_merge()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("root"));
        Assert.Contains("is not a snapshot", e.Message);
    }

    [Fact]
    public void A_merging_snapshot_cannot_be_removed()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.Merge("s1");
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Remove("s1"));
        Assert.Equal("cannot remove vg0/s1: it is merging; let the merge finish", e.Message);
        Assert.Equal(["root.img", "s1.cow"], rig.VolumeFiles());
    }

    [Fact]
    public async Task A_merge_io_error_fails_the_merge_the_origin_stays_readable_and_activation_retries()
    {
        var cows = new List<FlakyBlockFile>();
        using var rig = new GroupRig(file =>
        {
            var flaky = new FlakyBlockFile(file);
            if (file.Name.EndsWith(".cow")) lock (cows) cows.Add(flaky);
            return flaky;
        });
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        var merge = rig.Vg.Merge("s1")!;

        lock (cows) cows.ForEach(c => c.FailReads = true);
        var e = Assert.Throws<MergeFailedException>(() => merge.Run());
        Assert.Contains("injected read error", e.Message);
        Assert.Equal(GroupMergeState.Failed, merge.State);
        Assert.Equal("Merge failed", merge.Progress.Status);
        await Assert.ThrowsAsync<MergeFailedException>(() => merge.Completion);
        Assert.Equal("Owi-m-s---", rig.Vg.Report("root").Attr);
        Assert.Equal("Swi-m-s---", rig.Vg.Report("s1").Attr);
        Assert.Throws<MergeFailedException>(() => merge.Run());

        lock (cows) cows.ForEach(c => c.FailReads = false); // the error was transient
        Assert.Equal(snapshot, rig.ReadAll("root"));

        rig.Vg.Deactivate("root");
        var retry = Assert.Single(rig.Vg.Activate("root").Started);
        Assert.True(retry.Run());
        Assert.Equal(snapshot, rig.ReadAll("root"));
        Assert.Equal(["root.img"], rig.VolumeFiles());
    }
}
