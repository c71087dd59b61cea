using FleetMerge.Storage.Groups;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>The merge rules as pure functions: one test per rule and per mode.</summary>
public class MergeRuleTests
{
    private static readonly MergeCandidate Quiet = new(
        "vg0/s1", "vg0/root", MergeMode.NameOrigin,
        SnapshotValid: true, OriginActive: true, OriginOpenCount: 0, SnapshotOpenCount: 0,
        SnapshotsOfOrigin: 1, MergingSnapshot: null);

    [Fact]
    public void Nameorigin_with_both_volumes_closed_starts_now()
    {
        Assert.Equal(MergeTiming.Now, MergeRules.Check(Quiet));
    }

    [Fact]
    public void Nameorigin_is_refused_while_the_origin_is_open()
    {
        var e = Assert.Throws<MergeRuleException>(() => MergeRules.Check(Quiet with { OriginOpenCount = 1 }));
        Assert.Equal("cannot merge vg0/s1 now: origin vg0/root is open (1 session); close it or merge with onactivate", e.Message);
    }

    [Fact]
    public void Nameorigin_is_refused_while_the_snapshot_is_open()
    {
        var e = Assert.Throws<MergeRuleException>(() => MergeRules.Check(Quiet with { SnapshotOpenCount = 2 }));
        Assert.Contains("snapshot vg0/s1 is open (2 sessions)", e.Message);
    }

    [Fact]
    public void Namesnapshot_allows_an_open_snapshot()
    {
        Assert.Equal(MergeTiming.Now, MergeRules.Check(Quiet with { Mode = MergeMode.NameSnapshot, SnapshotOpenCount = 3 }));
    }

    [Fact]
    public void Namesnapshot_is_refused_while_the_origin_is_open()
    {
        var e = Assert.Throws<MergeRuleException>(() => MergeRules.Check(Quiet with { Mode = MergeMode.NameSnapshot, OriginOpenCount = 1 }));
        Assert.Contains("origin vg0/root is open", e.Message);
    }

    [Fact]
    public void Namesnapshot_needs_exactly_one_snapshot()
    {
        var e = Assert.Throws<MergeRuleException>(() => MergeRules.Check(Quiet with { Mode = MergeMode.NameSnapshot, SnapshotsOfOrigin = 2 }));
        Assert.Contains("has 2 snapshots and namesnapshot needs exactly one", e.Message);
    }

    [Fact]
    public void Onactivate_only_marks_even_with_everything_open()
    {
        Assert.Equal(MergeTiming.OnActivation,
            MergeRules.Check(Quiet with { Mode = MergeMode.OnActivate, OriginOpenCount = 1, SnapshotOpenCount = 1 }));
    }

    [Fact]
    public void A_merge_of_an_inactive_origin_waits_for_activation()
    {
        Assert.Equal(MergeTiming.OnActivation, MergeRules.Check(Quiet with { OriginActive = false }));
    }

    [Fact]
    public void A_second_merge_on_the_same_origin_is_refused()
    {
        var e = Assert.Throws<MergeRuleException>(() => MergeRules.Check(Quiet with { Snapshot = "vg0/s2", MergingSnapshot = "vg0/s1" }));
        Assert.Equal("cannot merge snapshot vg0/s2 into vg0/root: vg0/root is already merging snapshot vg0/s1", e.Message);
    }

    [Fact]
    public void The_same_merge_cannot_be_requested_twice()
    {
        var e = Assert.Throws<MergeRuleException>(() => MergeRules.Check(Quiet with { MergingSnapshot = "vg0/s1" }));
        Assert.Contains("already requested", e.Message);
    }

    [Fact]
    public void An_invalid_snapshot_cannot_be_merged()
    {
        var e = Assert.Throws<MergeRuleException>(() => MergeRules.Check(Quiet with { SnapshotValid = false, Mode = MergeMode.OnActivate }));
        Assert.Equal("cannot merge vg0/s1: the snapshot is invalid", e.Message);
    }

    [Fact]
    public void No_new_snapshot_of_a_merging_origin()
    {
        MergeRules.CheckNewSnapshot("vg0/root", null);
        var e = Assert.Throws<MergeRuleException>(() => MergeRules.CheckNewSnapshot("vg0/root", "vg0/s1"));
        Assert.Contains("it is merging snapshot vg0/s1", e.Message);
    }

    [Theory]
    [InlineData(MergeMode.OnActivate, 0, 0, true)]
    [InlineData(MergeMode.OnActivate, 1, 0, false)]
    [InlineData(MergeMode.OnActivate, 0, 1, false)]
    [InlineData(MergeMode.NameSnapshot, 0, 1, true)]
    [InlineData(MergeMode.NameSnapshot, 1, 0, false)]
    public void Activation_starts_a_pending_merge_only_when_the_volumes_are_closed(MergeMode mode, int originOpen, int snapshotOpen, bool starts)
    {
        Assert.Equal(starts, MergeRules.OpenConflict(mode, "vg0/root", "vg0/s1", originOpen, snapshotOpen) is null);
    }
}
