using FleetMerge.Storage.Groups;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>lvconvert --merge --namesnapshot: the result carries the snapshot's name, UUID and minor.</summary>
public class NameSnapshotMergeTests
{
    [Fact]
    public void The_result_takes_the_snapshot_identity_and_its_open_session_carries_on()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        var s1Before = rig.Vg.Report("s1");
        var rootBefore = rig.Vg.Report("root");

        using var s1 = rig.Vg.Open("s1");
        Write(s1, snapshot, 4, 160 * K, 8 * K);
        var merge = rig.Vg.Merge("s1", MergeMode.NameSnapshot);
        Assert.NotNull(merge);
        Assert.Equal(snapshot, ReadAll(s1)); // same data through the identity switch
        Write(s1, snapshot, 5, 0, 8 * K);     // and writes go on (to the merging origin)
        Assert.Equal("Owi-a-s---", rig.Vg.Report("root").Attr);
        Assert.Equal("Swi-aos---", rig.Vg.Report("s1").Attr);
        Assert.True(merge.Run());

        var result = Assert.Single(rig.Vg.Report());
        Assert.Equal(("s1", s1Before.Uuid, s1Before.Minor, (long)rootBefore.LSize, "-wi-ao----"),
            (result.Lv, result.Uuid, result.Minor, result.LSize, result.Attr));
        Assert.Equal(["s1.img"], rig.VolumeFiles());
        Assert.Equal(snapshot, ReadAll(s1));
        Write(s1, snapshot, 6, 100 * K, 8 * K);
        Assert.Equal(snapshot, ReadAll(s1));
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Open("root"));

        s1.Dispose();
        rig.Reboot();
        var record = Assert.Single(rig.Vg.Metadata.Volumes);
        Assert.Equal((VolumeKind.Origin, "s1.img", s1Before.Uuid), (record.Kind, record.File, record.Uuid));
        rig.Vg.Activate("s1");
        Assert.Equal(snapshot, rig.ReadAll("s1"));
    }

    [Fact]
    public void During_the_merge_the_origin_identity_refuses_open()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.Merge("s1", MergeMode.NameSnapshot);
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Open("root"));
        Assert.Contains("open vg0/s1", e.Message);
        using var s1 = rig.Vg.Open("s1");
    }

    [Fact]
    public void It_is_refused_while_the_origin_is_open()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        using var root = rig.Vg.Open("root");
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("s1", MergeMode.NameSnapshot));
        Assert.Contains("origin vg0/root is open", e.Message);
        Assert.Null(rig.Vg.Metadata.Find("s1")!.Merge);
    }

    [Fact]
    public void It_is_refused_unless_the_origin_has_exactly_one_snapshot()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.CreateSnapshot("root", "s2", 128 * K);
        var e = Assert.Throws<MergeRuleException>(() => rig.Vg.Merge("s1", MergeMode.NameSnapshot));
        Assert.Equal("cannot merge vg0/s1 with namesnapshot: vg0/root has 2 snapshots and namesnapshot needs exactly one", e.Message);
    }

    [Fact]
    public void An_interrupted_namesnapshot_merge_resumes_and_still_switches_identity()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        string s1Uuid = rig.Vg.Report("s1").Uuid;
        rig.Vg.Merge("s1", MergeMode.NameSnapshot);
        rig.Restart(); // crash before any copy

        var merge = Assert.Single(rig.Vg.ActivateAll().Started);
        Assert.Equal(MergeMode.NameSnapshot, merge.Mode);
        Assert.Throws<MergeRuleException>(() => rig.Vg.Open("root"));
        Assert.Equal(snapshot, rig.ReadAll("s1"));
        Assert.True(merge.Run());
        Assert.Equal(s1Uuid, Assert.Single(rig.Vg.Report()).Uuid);
        Assert.Equal(snapshot, rig.ReadAll("s1"));
    }
}
