using FleetMerge.Storage.Groups;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>lvconvert --merge --onactivate: a persisted mark, the merge starts at the next activation.</summary>
public class OnActivateMergeTests
{
    [Fact]
    public void It_only_marks_the_snapshot_even_with_the_origin_open()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Upgrade("root", origin);
        using var root = rig.Vg.Open("root"); // a root filesystem that cannot be unmounted

        Assert.Null(rig.Vg.Merge("s1", MergeMode.OnActivate));
        Assert.Null(rig.Vg.MergeOf("root"));
        Assert.Equal(origin, ReadAll(root));
        Assert.Equal(new MergeMark(MergeMode.OnActivate, Started: false), rig.Vg.Metadata.Find("s1")!.Merge);
        var s1 = rig.Vg.Report("s1");
        Assert.Equal(("Swi-a-s---", (double?)null), (s1.Attr, s1.MergePercent));
        Assert.Equal("Owi-aos---", rig.Vg.Report("root").Attr);
        using (rig.Vg.Open("s1")) { } // still an ordinary snapshot until the merge starts
    }

    [Fact]
    public void The_mark_survives_a_restart_and_the_merge_starts_at_group_activation()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        rig.Vg.Merge("s1", MergeMode.OnActivate);
        rig.Reboot();

        Assert.Equal(new MergeMark(MergeMode.OnActivate, Started: false), rig.Vg.Metadata.Find("s1")!.Merge);
        var result = rig.Vg.ActivateAll();
        var merge = Assert.Single(result.Started);
        Assert.Empty(result.Notes);
        Assert.Equal(("s1", "root", MergeMode.OnActivate), (merge.Snapshot, merge.Origin, merge.Mode));
        Assert.True(rig.Vg.Metadata.Find("s1")!.Merge!.Started);
        Assert.Equal(snapshot, rig.ReadAll("root")); // the system runs on the merging snapshot's data at once
        Assert.Throws<MergeRuleException>(() => rig.Vg.Open("s1"));
        Assert.True(merge.Run());
        Assert.Equal(snapshot, rig.ReadAll("root"));
        Assert.Equal(["root.img"], rig.VolumeFiles());
    }

    [Fact]
    public void It_stays_pending_when_the_origin_is_open_at_activation()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.Merge("s1", MergeMode.OnActivate);
        using (rig.Vg.Open("root"))
        {
            var refresh = rig.Vg.Activate("root");
            Assert.Empty(refresh.Started);
            var note = Assert.Single(refresh.Notes);
            Assert.Equal("vg0/s1: merge into vg0/root stays pending: origin vg0/root is open (1 session)", note);
            Assert.False(rig.Vg.Metadata.Find("s1")!.Merge!.Started);
        }
        Assert.Single(rig.Vg.Activate("root").Started);
    }

    [Fact]
    public void A_pending_mark_is_dropped_with_its_snapshot()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.Merge("s1", MergeMode.OnActivate);
        rig.Vg.Remove("s1");
        rig.Vg.CreateSnapshot("root", "s2", 128 * K);
        Assert.Empty(rig.Vg.ActivateAll().Started);
    }
}
