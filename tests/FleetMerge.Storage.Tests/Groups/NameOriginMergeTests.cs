using FleetMerge.Storage.Groups;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>lvconvert --merge (--nameorigin, the default).</summary>
public class NameOriginMergeTests
{
    [Fact]
    public void The_result_keeps_the_origin_identity_and_the_snapshot_is_removed()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        var before = rig.Vg.Report("root");

        var merge = rig.Vg.Merge("s1");
        Assert.NotNull(merge);
        Assert.Equal((MergeMode.NameOrigin, GroupMergeState.Started), (merge.Mode, merge.State));
        Assert.True(merge.Run());

        var after = Assert.Single(rig.Vg.Report());
        Assert.Equal(("root", before.Uuid, before.Minor, "-wi-a-----"), (after.Lv, after.Uuid, after.Minor, after.Attr));
        Assert.Equal(["root.img"], rig.VolumeFiles());
        Assert.Equal(GroupMergeState.Completed, merge.State);
        Assert.True(merge.Completion.IsCompletedSuccessfully);
        Assert.Equal(snapshot, rig.ReadAll("root"));
        rig.Reboot();
        Assert.Null(rig.Vg.Metadata.Find("s1"));
        rig.Vg.Activate("root");
        Assert.Equal(snapshot, rig.ReadAll("root"));
    }

    [Fact]
    public void The_origin_opened_right_after_the_start_sees_the_merge_and_stays_open_past_its_end()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);

        var merge = rig.Vg.Merge("s1")!;
        using var root = rig.Vg.Open("root");
        Assert.Equal(snapshot, ReadAll(root));
        Assert.Equal("Owi-aos---", rig.Vg.Report("root").Attr);
        Assert.Equal("Swi-a-s---", rig.Vg.Report("s1").Attr);
        Assert.Equal(0, rig.Vg.Report("s1").MergePercent);
        Write(root, snapshot, 5, 4 * K, 8 * K); // a write during the merge lands in the merging COW
        Assert.True(merge.Run());
        Assert.Equal(snapshot, ReadAll(root));
        Write(root, snapshot, 6, 0, 16 * K); // plain I/O again, same session
        Assert.Equal(snapshot, ReadAll(root));
        Assert.Equal("-wi-ao----", rig.Vg.Report("root").Attr);
    }

    [Fact]
    public void It_is_refused_while_the_origin_is_open()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        long seqno = rig.Vg.Metadata.Seqno;
        using (rig.Vg.Open("root"))
        {
            var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("s1"));
            Assert.Equal("cannot merge vg0/s1 now: origin vg0/root is open (1 session); close it or merge with onactivate", e.Message);
        }
        Assert.Equal(seqno, rig.Vg.Metadata.Seqno);
        Assert.Null(rig.Vg.MergeOf("root"));
    }

    [Fact]
    public void It_is_refused_while_the_snapshot_is_open()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        using var s1 = rig.Vg.Open("s1");
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("s1"));
        Assert.Contains("snapshot vg0/s1 is open", e.Message);
    }

    [Fact]
    public void The_merging_snapshot_refuses_open()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.Merge("s1");
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Open("s1"));
        Assert.Equal("vg0/s1 is merging into vg0/root; open vg0/root, which shows the merging data", e.Message);
    }

    [Fact]
    public void A_merge_of_an_inactive_origin_starts_at_its_activation()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        rig.Vg.Deactivate("root");
        Assert.Null(rig.Vg.Merge("s1"));
        Assert.Equal(new MergeMark(MergeMode.NameOrigin, Started: false), rig.Vg.Metadata.Find("s1")!.Merge);
        var merge = Assert.Single(rig.Vg.Activate("root").Started);
        Assert.True(merge.Run());
        Assert.Equal(snapshot, rig.ReadAll("root"));
    }

    [Fact]
    public void Sibling_snapshots_stay_stable_through_the_merge()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var first = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        rig.Vg.CreateSnapshot("root", "s2", 128 * K);
        var second = (byte[])origin.Clone();
        Assert.True(rig.Vg.Merge("s1")!.Run());
        Assert.Equal(first, rig.ReadAll("root"));
        Assert.Equal(second, rig.ReadAll("s2"));
        Assert.Equal("owi-a-s---", rig.Vg.Report("root").Attr);
    }
}
