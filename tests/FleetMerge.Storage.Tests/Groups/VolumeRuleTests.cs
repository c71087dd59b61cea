using FleetMerge.Storage.Groups;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>Open, deactivate and remove rules as pure functions.</summary>
public class VolumeRuleTests
{
    private static readonly MergeMark NameOriginStarted = new(MergeMode.NameOrigin, Started: true);
    private static readonly MergeMark NameSnapshotStarted = new(MergeMode.NameSnapshot, Started: true);
    private static readonly MergeMark OnActivatePending = new(MergeMode.OnActivate, Started: false);

    [Fact]
    public void An_inactive_volume_refuses_open()
    {
        var e = Assert.Throws<VolumeInactiveException>(() => VolumeRules.CheckOpen("vg0/root", VolumeKind.Origin, false, false, null, null));
        Assert.Equal("vg0/root is not active; activate it first", e.Message);
    }

    [Fact]
    public void A_volume_being_deactivated_refuses_open()
    {
        Assert.Throws<VolumeBusyException>(() => VolumeRules.CheckOpen("vg0/root", VolumeKind.Origin, true, true, null, null));
    }

    [Fact]
    public void A_merging_origin_may_be_opened_under_nameorigin()
    {
        VolumeRules.CheckOpen("vg0/root", VolumeKind.Origin, true, false, NameOriginStarted, "vg0/s1");
    }

    [Fact]
    public void A_snapshot_merging_under_nameorigin_refuses_open()
    {
        var e = Assert.Throws<MergeRuleException>(() => VolumeRules.CheckOpen("vg0/s1", VolumeKind.Snapshot, true, false, NameOriginStarted, "vg0/root"));
        Assert.Contains("open vg0/root", e.Message);
    }

    [Fact]
    public void Under_namesnapshot_the_snapshot_opens_and_the_origin_refuses()
    {
        VolumeRules.CheckOpen("vg0/s1", VolumeKind.Snapshot, true, false, NameSnapshotStarted, "vg0/root");
        var e = Assert.Throws<MergeRuleException>(() => VolumeRules.CheckOpen("vg0/root", VolumeKind.Origin, true, false, NameSnapshotStarted, "vg0/s1"));
        Assert.Contains("open vg0/s1", e.Message);
    }

    [Fact]
    public void A_snapshot_marked_onactivate_still_opens()
    {
        VolumeRules.CheckOpen("vg0/s1", VolumeKind.Snapshot, true, false, OnActivatePending, "vg0/root");
    }

    [Fact]
    public void Deactivation_is_refused_while_a_member_is_open()
    {
        VolumeRules.CheckDeactivate("vg0/root", [("vg0/root", 0), ("vg0/s1", 0)]);
        var e = Assert.Throws<VolumeBusyException>(() => VolumeRules.CheckDeactivate("vg0/root", [("vg0/root", 0), ("vg0/s1", 2)]));
        Assert.Equal("cannot deactivate vg0/root: vg0/s1 is open (2 sessions)", e.Message);
    }

    [Fact]
    public void Removal_is_refused_while_open()
    {
        Assert.Throws<VolumeBusyException>(() => VolumeRules.CheckRemove("vg0/s1", VolumeKind.Snapshot, 1, [], null, false));
    }

    [Fact]
    public void An_origin_with_snapshots_cannot_be_removed()
    {
        var e = Assert.Throws<VolumeBusyException>(() => VolumeRules.CheckRemove("vg0/root", VolumeKind.Origin, 0, ["vg0/s1"], null, false));
        Assert.Contains("has snapshots (vg0/s1)", e.Message);
    }

    [Fact]
    public void A_merging_snapshot_cannot_be_removed_unless_invalid()
    {
        Assert.Throws<MergeRuleException>(() => VolumeRules.CheckRemove("vg0/s1", VolumeKind.Snapshot, 0, [], NameOriginStarted, false));
        VolumeRules.CheckRemove("vg0/s1", VolumeKind.Snapshot, 0, [], NameOriginStarted, invalid: true);
        VolumeRules.CheckRemove("vg0/s1", VolumeKind.Snapshot, 0, [], OnActivatePending, false);
    }
}
